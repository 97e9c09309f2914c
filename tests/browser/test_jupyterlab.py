"""The notebooks as a learner running them meets them: JupyterLab, headless, offline.

The chapters are written in MyST Markdown. With ``jupyterlab-myst`` (pinned in
requirements.txt) JupyterLab renders its roles, labelled equations and dropdowns as the
HTML book does; without it a learner would read ``{term}`` and ``:::{dropdown}`` source,
with every exercise's solution in plain view. These tests start a JupyterLab server on
the repository, open a chapter in Debian's chromium and read the rendered cells.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.browser.test_html_book import ARGS, CHROMIUM, SHOTS
from tests.test_book import SOLUTION_PROMPT

ROOT = Path(__file__).resolve().parents[2]
CHAPTER = "chapters/02_concepts/gradient_descent.ipynb"
TOKEN = "book-test"
MARKDOWN_CELLS = sum(
    c["cell_type"] == "markdown"
    for c in json.loads((ROOT / CHAPTER).read_text(encoding="utf-8"))["cells"]
)
# MyST source that must not survive rendering: roles, directive fences, equation labels.
RAW_MYST = re.compile(r"\{(term|eq|cite|doc|ref)\}`|:::\{|```\{|\$\$\s*\([\w-]+\)")


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """A JupyterLab server on the repository, with its own settings and runtime dirs."""
    home = tmp_path_factory.mktemp("jupyter")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = dict(
        os.environ,
        JUPYTER_CONFIG_DIR=str(home / "config"),
        JUPYTER_RUNTIME_DIR=str(home / "runtime"),
        JUPYTERLAB_SETTINGS_DIR=str(home / "settings"),
        JUPYTERLAB_WORKSPACES_DIR=str(home / "workspaces"),
    )
    # every cell in the page at once (by default JupyterLab adds cells as they scroll in)
    tracker = home / "settings/@jupyterlab/notebook-extension/tracker.jupyterlab-settings"
    tracker.parent.mkdir(parents=True)
    tracker.write_text('{"windowingMode": "none"}')
    log = open(home / "lab.log", "w")  # noqa: SIM115 (closed below)
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "jupyterlab",
            "--no-browser",
            "--allow-root",
            "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={port}",
            f"--IdentityProvider.token={TOKEN}",
            f"--ServerApp.root_dir={ROOT}",
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(f"{url}/api/status?token={TOKEN}", timeout=2)
                break
            except OSError:
                if server.poll() is not None:
                    pytest.fail(f"JupyterLab exited: {(home / 'lab.log').read_text()[-800:]}")
                time.sleep(0.3)
        else:
            pytest.fail("JupyterLab did not answer within a minute")
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


@pytest.fixture(scope="module")
def chapter(lab):
    """The chapter open in JupyterLab, every cell rendered."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"no chromium at {CHROMIUM}: apt-get install chromium (see .ci/run)")
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(f"{lab}/lab/tree/{CHAPTER}?token={TOKEN}")
        page.wait_for_selector(".jp-MarkdownCell .myst", timeout=90_000)
        page.wait_for_function(
            "n => document.querySelectorAll('.jp-MarkdownCell .myst').length >= n",
            arg=MARKDOWN_CELLS,
            timeout=60_000,
        )
        page.wait_for_timeout(500)
        yield page
        browser.close()


def test_jupyterlab_has_the_myst_extension(lab):
    out = subprocess.run(
        [sys.executable, "-m", "jupyter", "labextension", "list"],
        capture_output=True,
        text=True,
        check=True,
    )
    listing = out.stdout + out.stderr
    assert re.search(r"jupyterlab-myst v[\d.]+\s+\S*enabled", listing), listing


def test_markdown_cells_render_myst_not_its_source(chapter):
    cells = chapter.locator(".jp-MarkdownCell")
    texts = cells.evaluate_all("cs => cs.map(c => c.querySelector('.myst')?.innerText ?? null)")
    assert len(texts) == MARKDOWN_CELLS, f"{len(texts)} of {MARKDOWN_CELLS} markdown cells"
    unrendered = [k for k, t in enumerate(texts) if t is None]
    assert not unrendered, f"cells not rendered by jupyterlab-myst: {unrendered[:5]}"
    raw = [(k, m.group(0)) for k, t in enumerate(texts) if (m := RAW_MYST.search(t))]
    assert not raw, f"MyST source shown to the learner: {raw[:5]}"


def test_a_glossary_term_renders_as_a_link(chapter):
    first = chapter.locator(".jp-MarkdownCell .myst").first
    chapter.screenshot(path=str(SHOTS / "jupyterlab_gradient_descent_top.png"))
    assert first.locator("a", has_text="loss function").count() == 1, first.inner_html()[:600]


def test_equation_references_are_numbers(chapter):
    first = chapter.locator(".jp-MarkdownCell .myst").first
    ref = first.locator("a[href='#gd-update']")
    assert re.fullmatch(r"\(\d+\)", ref.inner_text()), ref.inner_text()


def test_the_exercise_solution_is_a_closed_dropdown(chapter):
    solution = chapter.locator("summary", has_text=re.compile(r"^\s*Solution\s*$"))
    dropdown = chapter.locator("details.myst-dropdown").filter(has=solution).first
    dropdown.scroll_into_view_if_needed()
    assert dropdown.locator("summary").inner_text().strip() == "Solution"
    assert not dropdown.evaluate("d => d.open"), "the solution is open before the learner asks"
    body = dropdown.locator(":scope > :not(summary)").first
    assert not body.is_visible(), "the solution's text is in plain view"
    chapter.screenshot(path=str(SHOTS / "jupyterlab_exercise_closed.png"))
    dropdown.locator("summary").click()
    assert body.is_visible(), "clicking the summary does not show the solution"
    chapter.screenshot(path=str(SHOTS / "jupyterlab_exercise_open.png"))


def test_solution_code_cells_open_folded(chapter):
    """Solution cells and the Colab cell carry ``jupyter.source_hidden`` (tests/test_book.py
    checks that); every other code cell opens unfolded."""
    nb = json.loads((ROOT / CHAPTER).read_text(encoding="utf-8"))
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    solutions = [
        k == 0  # the Colab setup cell (tools/colab_cell.py) opens folded too
        or c["metadata"].get("mystnb", {}).get("code_prompt_show") == SOLUTION_PROMPT
        for k, c in enumerate(code)
    ]
    assert sum(solutions) > 1, f"{CHAPTER} has no solution cell: the test checks nothing"
    shown = chapter.locator(".jp-CodeCell").evaluate_all(
        "cs => cs.map(c => [...c.querySelectorAll('.jp-InputArea-editor')]"
        ".some(e => e.offsetParent !== null))"
    )
    assert len(shown) == len(solutions)
    wrong = [k for k, (sol, seen) in enumerate(zip(solutions, shown, strict=True)) if sol == seen]
    assert not wrong, f"code cells {wrong}: solutions must open folded, the rest unfolded"
