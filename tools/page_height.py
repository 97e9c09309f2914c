"""How long a chapter reads: build its page alone and measure it as the browser tests do.

The browser test ``test_chapters_fit_in_fifteen_screens`` measures every chapter of the
full book after ``make book``. This tool measures a few notebooks without that build, for
whoever is trimming or splitting a chapter: it copies the book's frame (config, theme
extension, static files, intro, glossary, references) and the given notebooks into a
scratch folder, builds a small book of them there (executing each notebook afresh, with
a scratch cache), and prints each page's height in screens at 1280 x 900.

Usage::

    python tools/page_height.py chapters/03_algorithms/optimizers.ipynb [more ...]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

FRAME = ["_ext", "_static", "intro.md", "glossary.md", "references.md", "references.bib"]


def write_book(notebooks: list[Path], src: Path) -> None:
    """Copy the book's frame and ``notebooks`` into ``src``, with a toc of just those."""
    for name in FRAME:
        path = ROOT / name
        copy = shutil.copytree if path.is_dir() else shutil.copy2
        copy(path, src / name)
    chapters = []
    for nb in notebooks:
        rel = nb.resolve().relative_to(ROOT)
        (src / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(nb, src / rel)
        chapters.append({"file": str(rel.with_suffix(""))})
    toc = {
        "format": "jb-book",
        "root": "intro",
        "parts": [
            {"caption": "Measured", "numbered": True, "chapters": chapters},
            {"caption": "Back matter", "chapters": [{"file": "glossary"}, {"file": "references"}]},
        ],
    }
    (src / "_toc.yml").write_text(yaml.safe_dump(toc, sort_keys=False), encoding="utf-8")
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    config["execute"]["cache"] = str(src / "_cache")
    (src / "_config.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")


def measure(pages: list[Path]) -> dict[Path, float]:
    """Each built page's height in screens of the desktop viewport (as the browser test)."""
    from playwright.sync_api import sync_playwright

    from tests.browser.test_html_book import ARGS, CHROMIUM, DESKTOP, Page

    screens = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for html in pages:
            page = Page(browser, str(html), DESKTOP)
            height = page.page.evaluate("document.documentElement.scrollHeight")
            screens[html] = height / DESKTOP[1]
            page.page.close()
        browser.close()
    return screens


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder")
    args = parser.parse_args(argv)
    for nb in args.notebooks:
        if nb.suffix != ".ipynb" or not nb.exists():
            parser.error(f"notebooks: {nb} is not an existing .ipynb file")
    scratch = Path(tempfile.mkdtemp(prefix="page_height_"))
    src = scratch / "book"
    src.mkdir()
    write_book(args.notebooks, src)
    jb = Path(sys.executable).with_name("jupyter-book")
    build = subprocess.run([str(jb), "build", "--all", str(src)], capture_output=True, text=True)
    html = src / "_build" / "html"
    pages = [html / nb.resolve().relative_to(ROOT).with_suffix(".html") for nb in args.notebooks]
    missing = [p for p in pages if not p.exists()]
    if missing:
        print(build.stdout[-3000:], build.stderr[-3000:], sep="\n")
        print(f"no page built for {missing}; scratch folder kept: {scratch}")
        return 1
    failed = "Executing notebook failed" in build.stdout + build.stderr
    for page, screens in measure(pages).items():
        print(f"{screens:5.1f} screens  {page.relative_to(html)}")
    if failed:
        print("warning: a notebook failed to execute (its page shows a traceback):")
        for line in (build.stdout + build.stderr).splitlines():
            if "Executing notebook failed" in line:
                print("   ", line.strip())
    if args.keep:
        print(f"scratch folder: {scratch}")
    else:
        shutil.rmtree(scratch)
    return 0


if __name__ == "__main__":
    sys.exit(main())
