"""The built HTML book as a reader meets it: headless Chromium on file:// pages, offline.

Run after ``make book`` (``make test-html``). Needs Debian's chromium at /usr/bin/chromium
(``.ci/run`` installs it); Playwright drives it and never downloads a browser of its own.
Screenshots land in ``_build/screenshots/`` as artifacts.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from tests.test_book import toc_files

ROOT = Path(__file__).resolve().parents[2]
HTML = ROOT / "_build" / "html"
SHOTS = ROOT / "_build" / "screenshots"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser():
    if not (HTML / "index.html").exists():
        pytest.fail("no built book in _build/html: run `make book` first")
    if not Path(CHROMIUM).exists():
        pytest.fail(f"no chromium at {CHROMIUM}: apt-get install chromium (see .ci/run)")
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


class Page:
    """A page opened offline, recording JS errors and any request that leaves the disk."""

    def __init__(self, browser, relpath: str):
        self.page = browser.new_page(viewport={"width": 1300, "height": 1000})
        self.errors: list[str] = []
        self.remote: list[str] = []
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("console", self._console)
        self.page.on("request", self._request)
        self.page.goto((HTML / relpath).as_uri())
        self.page.wait_for_load_state("load")
        self.page.wait_for_function("() => !window.MathJax || MathJax.startup?.promise")
        self.page.evaluate("() => window.MathJax ? MathJax.startup.promise : null")

    def _console(self, msg) -> None:
        if msg.type == "error":
            self.errors.append(msg.text)

    def _request(self, request) -> None:
        if not request.url.startswith(("file:", "data:", "blob:", "about:")):
            self.remote.append(request.url)


GD_PAGE = "chapters/02_concepts/gradient_descent.html"
PAGES = [str(Path(f).with_suffix(".html")) for f in toc_files()]
# Prose with code, outputs and rendered math removed: TeX left in it was not rendered.
PROSE_JS = """() => {
  const a = document.querySelector('article').cloneNode(true);
  a.querySelectorAll('pre, mjx-container, script, style, .cell_output').forEach(e => e.remove());
  return a.innerText;
}"""
# myst-nb renders a cell's error output (a traceback) in this class.
TRACEBACK = ".cell_output .traceback, .cell_output .output.error"
RAW_TEX = re.compile(r"\$\$|\\\(|\\\[|\\(frac|mathbf|sum|begin|alpha|nabla|hat)\b|\$[^$\n]{1,80}\$")


@pytest.mark.parametrize("relpath", PAGES)
def test_page_loads_offline_with_math_rendered_and_every_image(browser, relpath):
    page = Page(browser, relpath)
    raw = RAW_TEX.search(page.page.evaluate(PROSE_JS))
    assert raw is None, f"raw TeX left on the page: {raw.group(0)!r}"
    broken = page.page.locator("article img").evaluate_all(
        "imgs => imgs.filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.src.slice(0, 80))"
    )
    assert not broken, f"images that did not load: {broken}"
    assert not page.remote, f"the page reached for the network: {page.remote[:5]}"
    assert not page.errors, f"JavaScript errors: {page.errors}"
    tracebacks = page.page.locator(TRACEBACK).all_inner_texts()
    assert not tracebacks, f"a cell failed when the book was built: {tracebacks[0][-400:]}"


def test_math_is_rendered_offline(browser):
    page = Page(browser, GD_PAGE)
    rendered = page.page.locator("mjx-container").count()
    assert rendered > 50, f"only {rendered} MathJax elements: is MathJax served with the book?"
    page.page.screenshot(path=str(SHOTS / "gradient_descent_top.png"))


def pages_with_sliders() -> list[str]:
    if not HTML.exists():
        return [GD_PAGE]
    built = [HTML / p for p in PAGES if (HTML / p).exists()]
    return [
        str(p.relative_to(HTML)) for p in built if 'class="lr-explorer"' in p.read_text("utf-8")
    ]


@pytest.mark.parametrize("relpath", pages_with_sliders())
def test_every_static_slider_changes_the_figure(browser, relpath):
    page = Page(browser, relpath)
    explorers = page.page.locator(".lr-explorer")
    assert explorers.count() >= 1, "no explorer on the page"
    stem = Path(relpath).stem
    for k in range(explorers.count()):
        explorer = explorers.nth(k)
        explorer.scroll_into_view_if_needed()
        slider = explorer.locator("input[type=range]")
        visible = explorer.locator("img.lrx-frame:visible")
        before = (visible.get_attribute("src"), explorer.locator("output").inner_text())
        explorer.screenshot(path=str(SHOTS / f"{stem}_explorer{k}_before.png"))
        slider.fill(slider.get_attribute("max"))  # to the largest value
        after = (visible.get_attribute("src"), explorer.locator("output").inner_text())
        explorer.screenshot(path=str(SHOTS / f"{stem}_explorer{k}_after.png"))
        assert visible.count() == 1, "exactly one frame is shown at a time"
        assert after[0] != before[0], "moving the slider must show another figure"
        assert after[1] != before[1], "the label must show the new value"
    assert not page.errors, f"JavaScript errors: {page.errors}"


def test_the_gradient_descent_chapter_has_both_its_explorers():
    html = (HTML / GD_PAGE).read_text(encoding="utf-8")
    assert html.count('class="lr-explorer"') >= 2, "a 1-D and a 2-D learning-rate explorer"


def test_launch_and_download_buttons_point_at_the_repository(browser):
    page = Page(browser, GD_PAGE)
    html = page.page.content()
    assert "colab.research.google.com/github/" in html
    assert "mybinder.org" in html
    assert "gradient_descent.ipynb" in html  # the download-as-ipynb button


def test_every_toc_page_is_reachable_from_the_navigation(browser):
    page = Page(browser, "intro.html")
    hrefs = page.page.locator("nav.bd-docs-nav a.reference.internal").evaluate_all(
        "links => links.map(a => a.href)"
    )
    base = HTML.as_uri() + "/"
    reachable = {h.split("#")[0].removeprefix(base) for h in hrefs}
    expected = {str(Path(f).with_suffix(".html")) for f in toc_files()} - {"intro.html"}
    assert expected <= reachable, f"not in the navigation: {sorted(expected - reachable)}"


def test_no_page_weighs_more_than_3_mb():
    """A page with its own images (precomputed slider frames are inline) stays light."""
    import re

    weights = {}
    for page in HTML.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        images = {page.parent / src for src in re.findall(r'<img[^>]+src="(?!data:)([^"]+)"', text)}
        weights[page.relative_to(HTML)] = page.stat().st_size + sum(
            p.stat().st_size for p in images if p.exists()
        )
    heaviest = sorted(weights.items(), key=lambda kv: -kv[1])[:3]
    print("heaviest pages:", [(str(p), f"{w / 1e6:.2f} MB") for p, w in heaviest])
    assert heaviest[0][1] < 3e6, f"{heaviest[0][0]} weighs {heaviest[0][1] / 1e6:.1f} MB"
