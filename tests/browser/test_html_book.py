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


@pytest.fixture(autouse=True)
def _close_pages(request):
    """Close the pages a test opened: left open, 45 chapters' pages per test (one Chromium
    renderer each) filled the memory of the 24 GB machine and slowed everything to a crawl."""
    yield
    if "browser" in request.fixturenames:
        for context in request.getfixturevalue("browser").contexts:
            context.close()


class Page:
    """A page opened offline, recording JS errors and any request that leaves the disk."""

    def __init__(self, browser, relpath: str, size: tuple[int, int] = (1300, 1000)):
        self.page = browser.new_page(viewport={"width": size[0], "height": size[1]})
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


# Reader's screens: a phone, where both sidebars are drawers behind the header's menu
# buttons, and a desktop, where both are shown beside the text.
PHONE, DESKTOP = (390, 844), (1280, 900)
SIZES = pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone", "desktop"])
NEXT_CHAPTER = "losses.html"  # a chapter linked from the chapter list of GD_PAGE


def test_each_menu_button_is_on_the_page_once():
    """The themes' scripts bind the first match of each: a hidden copy breaks the menus."""
    html = (HTML / GD_PAGE).read_text(encoding="utf-8")
    for toggle in ("primary-toggle", "secondary-toggle"):
        count = len(re.findall(rf'<button[^>]*class="[^"]*\b{toggle}\b', html))
        assert count == 1, f"{count} buttons .{toggle} on the page (see _ext/book_html.py)"


def open_drawer(pg, toggle: str, drawer: str):
    """On a phone: click the header button `toggle`; the `<dialog>` `drawer` must open."""
    from playwright.sync_api import expect

    button, dialog = pg.locator(toggle), pg.locator(drawer)
    assert button.is_visible(), f"no visible {toggle} button"
    assert not dialog.is_visible()
    button.click()
    expect(dialog, f"{toggle} did not open {drawer}").to_be_visible()
    assert dialog.evaluate("d => d.open")
    return dialog


@SIZES
def test_the_chapter_list_opens_and_its_links_work(browser, size):
    from playwright.sync_api import expect

    page = Page(browser, GD_PAGE, size)
    pg = page.page
    if size == PHONE:
        nav = open_drawer(pg, ".primary-toggle", "#pst-primary-sidebar-modal")
    else:
        toggle = pg.locator(".primary-toggle")
        nav = pg.locator("#pst-primary-sidebar")
        assert nav.is_visible(), "on a desktop the chapter list is shown beside the text"
        toggle.click()  # the button hides the list to widen the text, and brings it back
        expect(nav, "the menu button did not hide the chapter list").to_be_hidden()
        toggle.click()
        expect(nav, "the menu button did not bring the list back").to_be_visible()
    pg.screenshot(path=str(SHOTS / f"chapter_list_{size[0]}px.png"))
    nav.locator(f"a[href$='{NEXT_CHAPTER}']").first.click()
    pg.wait_for_load_state("load")
    assert pg.url.endswith(NEXT_CHAPTER), f"the link led to {pg.url}"
    assert not page.errors, f"JavaScript errors: {page.errors}"


@SIZES
def test_the_page_contents_open_and_their_links_work(browser, size):
    page = Page(browser, GD_PAGE, size)
    pg = page.page
    if size == PHONE:
        toc = open_drawer(pg, ".secondary-toggle", "#pst-secondary-sidebar-modal")
    else:
        toc = pg.locator("#pst-secondary-sidebar")
        assert toc.is_visible(), "on a desktop the page contents are shown beside the text"
    pg.screenshot(path=str(SHOTS / f"page_contents_{size[0]}px.png"))
    link = toc.locator("a.nav-link[href^='#']").nth(1)
    anchor = link.get_attribute("href")
    link.click()
    pg.wait_for_timeout(300)
    assert pg.url.endswith(anchor), f"the link to {anchor} led to {pg.url}"
    assert pg.locator(anchor).first.is_visible()
    assert not page.errors, f"JavaScript errors: {page.errors}"


def test_without_javascript_the_page_says_what_it_needs(browser):
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 1280, "height": 900}
    )
    pg = context.new_page()
    pg.goto((HTML / GD_PAGE).as_uri())
    note = pg.locator(".noscript-note")
    assert note.is_visible(), "no word to the reader that math and sliders need JavaScript"
    assert "JavaScript" in note.inner_text()
    pg.screenshot(path=str(SHOTS / "gradient_descent_no_javascript.png"))
    context.close()
    with_js = Page(browser, GD_PAGE)
    assert not with_js.page.locator(".noscript-note").is_visible()


def test_equations_are_numbered_per_chapter():
    """(6.1), (6.2), ... in chapter 6: numbers restart in every chapter (numbered toc)."""
    numbered = 0
    for relpath in PAGES:
        html = (HTML / relpath).read_text(encoding="utf-8")
        assert not re.findall(r'class="eqno">\(\d+\)', html), f"{relpath}: book-wide numbers"
        found = [tuple(map(int, m)) for m in re.findall(r'class="eqno">\((\d+)\.(\d+)\)', html)]
        if found:
            numbered += 1
            assert {c for c, _ in found} == {found[0][0]}, f"{relpath}: several chapters"
            assert [k for _, k in found] == list(range(1, len(found) + 1)), relpath
    assert numbered > 20, f"only {numbered} pages with numbered equations"


CODE_OVERFLOW_JS = """() => [...document.querySelectorAll('div.cell_input pre')]
  .filter(p => p.offsetParent !== null && p.scrollWidth > p.clientWidth + 1)
  .map(p => p.innerText.split('\\n').sort((a, b) => b.length - a.length)[0])"""


@pytest.mark.parametrize("relpath", [p for p in PAGES if p.startswith("chapters/")])
def test_code_cells_fit_the_column_on_a_desktop(browser, relpath):
    """No horizontal scrollbar on code at 1280 px: 88-character lines fit (_static/book.css)."""
    page = Page(browser, relpath, DESKTOP)
    too_wide = page.page.evaluate(CODE_OVERFLOW_JS)
    assert not too_wide, f"{len(too_wide)} code cells scroll sideways, e.g. {too_wide[0]!r}"


WIDE_EQUATIONS_JS = """() => [...document.querySelectorAll('mjx-container[display="true"]')]
  .filter(m => m.scrollWidth > m.clientWidth + 1)
  .map(m => [getComputedStyle(m).overflowX, getComputedStyle(m).backgroundImage])"""


@pytest.mark.parametrize("relpath", [GD_PAGE, "chapters/03_algorithms/optimizers.html"])
def test_wide_equations_scroll_with_a_hint_on_a_phone(browser, relpath):
    page = Page(browser, relpath, PHONE)
    wide = page.page.evaluate(WIDE_EQUATIONS_JS)
    assert wide, "no equation is wider than a phone here: the test checks nothing"
    for overflow, background in wide:
        assert overflow in ("auto", "scroll"), "a wide equation is cut off"
        assert background.count("gradient(") == 4, "no scroll shadows (_static/book.css)"


# Figures on a phone and a desktop: the text a reader must read (tick labels, axis labels,
# legends) drawn at least 9 CSS px high, no text but sub- and superscripts under 7 px.
BODY_PX, SMALLEST_PX = 9.0, 7.0
FIGURES_JS = """() => [...document.querySelectorAll('div.cell_output > img, img.lrx-frame')]
  .filter(i => i.offsetParent !== null)
  .map(i => ({src: i.getAttribute('src'), width: i.getBoundingClientRect().width,
              natural: i.naturalWidth, box: i.parentElement.clientWidth,
              overflow: getComputedStyle(i.parentElement).overflowX}))"""


def svg_text_sizes(svg: Path) -> tuple[float, list[float], list[float]]:
    """The figure's width in SVG units, its texts' sizes, and its scripts' sizes.

    Matplotlib writes one ``<text>`` per label (``svg.fonttype: none``); mathtext sets
    sub- and superscripts as smaller ``<tspan>``s inside it.
    """
    import xml.etree.ElementTree as ET

    root = ET.parse(svg).getroot()
    width = float(root.get("viewBox").split()[2])
    texts, scripts = [], []
    for text in root.iter("{http://www.w3.org/2000/svg}text"):
        sizes = [
            float(m)
            for e in text.iter()
            for m in re.findall(r"font-size:\s*([\d.]+)px", e.get("style", ""))
        ]
        if sizes:
            texts.append(max(sizes))
            scripts += [s for s in sizes if s < max(sizes)]
    return width, texts, scripts


def png_dpi(data_uri: str) -> float:
    """The dots per inch matplotlib stored in a PNG's pHYs chunk."""
    import base64
    import struct

    png = base64.b64decode(data_uri.split(",", 1)[1])
    at = png.index(b"pHYs")
    per_metre, _, unit = struct.unpack(">IIB", png[at + 4 : at + 13])
    assert unit == 1, "pHYs not in pixels per metre"
    return per_metre * 0.0254


@SIZES
@pytest.mark.parametrize("relpath", [p for p in PAGES if p.startswith("chapters/")])
def test_figure_text_is_legible(browser, relpath, size):
    """Rendered text heights: SVG font sizes, or the book style's for PNG frames."""
    from helpers.plotting import BOOK_STYLE

    page = Page(browser, relpath, size)
    figures = page.page.evaluate(FIGURES_JS)
    problems = []
    for fig in figures:
        src = fig["src"]
        if src.endswith(".svg"):
            width, texts, scripts = svg_text_sizes((HTML / relpath).parent / src)
            if not texts:
                continue
            scale = fig["width"] / width  # CSS px per SVG unit (1 unit = 1 pt = 4/3 px)
            body = max(set(texts), key=texts.count) * scale
            smallest = min(texts) * scale
        else:  # a slider frame: a PNG at its dpi, in the book style's tick size
            pt = BOOK_STYLE["xtick.labelsize"]
            scale = fig["width"] / fig["natural"]
            body = smallest = pt * png_dpi(src) / 72 * scale
        name = src[-24:]
        if body < BODY_PX - 0.05:
            problems.append(f"{name}: most of its text {body:.1f} px high")
        if smallest < SMALLEST_PX - 0.05:
            problems.append(f"{name}: text {smallest:.1f} px high")
        if fig["width"] > fig["box"] + 1 and fig["overflow"] not in ("auto", "scroll"):
            problems.append(f"{name}: wider than its box, which does not scroll")
    assert not problems, f"at {size[0]} px: " + "; ".join(problems)


def test_a_wide_figure_scrolls_on_a_phone_with_its_hidden_edge_faded(browser):
    """A three-panel figure: shown at 3/4 size, its box scrolls; the fade follows."""
    page = Page(browser, "chapters/02_concepts/losses.html", PHONE)
    pg = page.page
    box = (
        pg.locator("div.cell_output:has(> img)")
        .filter(has=pg.locator("img"))
        .evaluate_all("bs => bs.filter(b => b.scrollWidth > b.clientWidth + 1).length")
    )
    assert box > 0, "no figure wider than a phone here: the test checks nothing"
    wide = pg.locator("div.cell_output.hides-right").first.element_handle()
    wide.scroll_into_view_if_needed()
    pg.screenshot(path=str(SHOTS / "wide_figure_390px_start.png"))
    assert "hides-left" not in wide.get_attribute("class")
    wide.evaluate("b => { b.scrollLeft = b.scrollWidth; }")
    pg.wait_for_timeout(200)
    classes = wide.get_attribute("class").split()
    pg.screenshot(path=str(SHOTS / "wide_figure_390px_end.png"))
    assert "hides-left" in classes and "hides-right" not in classes, classes
    mask = wide.evaluate("b => getComputedStyle(b).maskImage")
    assert "gradient(" in mask, "no fade at the hidden edge (_static/book.css)"
    assert not page.errors, f"JavaScript errors: {page.errors}"


def test_a_solution_is_folded_with_its_output_until_the_reader_opens_it(browser):
    """Review row #11: the printed answer of a solution gives it away too, so the book
    folds the whole cell (myst-nb's hide-cell); the button opens it."""
    page = Page(browser, GD_PAGE, DESKTOP)
    solutions = page.page.locator(".tag_hide-cell > details", has_text="Show solution")
    assert solutions.count() >= 3, "no folded solution cells on the page"
    n = solutions.count()
    with_output = [k for k in range(n) if solutions.nth(k).locator(".cell_output").count()]
    assert with_output, "no solution with an output: the test checks nothing"
    details = solutions.nth(with_output[0])
    assert not details.evaluate("d => d.open")
    assert not details.locator(".cell_output").first.is_visible(), "the answer is in plain view"
    details.locator("summary").click()
    assert details.locator(".cell_output").first.is_visible(), "the button does not open it"
    assert not page.errors, f"JavaScript errors: {page.errors}"


# Pacing (issue 19): a chapter is read in about 15 screens at 1280 x 900, as a d2l section
# is. LONGER_TODAY lists chapters allowed to be longer while they wait to be split or
# trimmed (none since 2026-12-07); it may only shrink: a chapter not on it must fit, and
# one on it that fits must leave it.
MAX_SCREENS = 15
# The same page measures a few hundredths of a screen apart from build to build (seen:
# driving at 14.99 and 15.01), so "about 15" has a band: a chapter not on the list fails
# above MAX_SCREENS + SLACK, and one on the list must leave it below MAX_SCREENS - SLACK.
SLACK = 0.15
LONGER_TODAY: set[str] = set()
HEIGHTS = SHOTS.parent / "report" / "page_heights.md"


def test_chapters_fit_in_fifteen_screens(browser):
    """Measure every chapter's rendered height at 1280 x 900 and print the table."""
    chapters = [p for p in PAGES if p.startswith("chapters/") and not p.endswith("index.html")]
    screens = {}
    for relpath in chapters:
        page = Page(browser, relpath, DESKTOP)
        screens[relpath] = page.page.evaluate("document.documentElement.scrollHeight") / DESKTOP[1]
        page.page.close()
    rows = sorted(screens.items(), key=lambda kv: -kv[1])
    table = "\n".join(f"| {p} | {s:.1f} |" for p, s in rows)
    HEIGHTS.parent.mkdir(parents=True, exist_ok=True)
    HEIGHTS.write_text(f"| chapter | screens at 1280x900 |\n|---|--:|\n{table}\n", encoding="utf-8")
    print(f"median {sorted(screens.values())[len(screens) // 2]:.1f} screens\n{table}")
    too_long = {p for p, s in screens.items() if s > MAX_SCREENS + SLACK}
    fits = {p for p, s in screens.items() if s < MAX_SCREENS - SLACK}
    assert not too_long - LONGER_TODAY, (
        f"over {MAX_SCREENS} screens: {sorted(too_long - LONGER_TODAY)}"
    )
    assert not LONGER_TODAY & fits, (
        f"fit now, drop from LONGER_TODAY: {sorted(LONGER_TODAY & fits)}"
    )
