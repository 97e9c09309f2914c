"""The book's structure: table of contents, notebook shape, configuration."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
import yaml

from tools.colab_cell import colab_cell_source, repository

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted(
    p for p in ROOT.glob("chapters/**/*.ipynb") if ".ipynb_checkpoints" not in p.parts
)
CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
NETWORK = re.compile(r"urlretrieve|requests\.get|download=True|fetch_openml|^\s*[!%]pip ", re.M)


def toc_files() -> list[str]:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    files = [toc["root"]]
    for part in toc["parts"]:
        files += [entry["file"] for entry in part["chapters"]]
        files += [sec["file"] for entry in part["chapters"] for sec in entry.get("sections", [])]
    return files


def nb_id(path: Path) -> str:
    return str(path.relative_to(ROOT))


def test_there_are_notebooks():
    assert NOTEBOOKS, "no notebooks found under chapters/"


def test_every_toc_entry_exists():
    missing = [
        f
        for f in toc_files()
        if not any((ROOT / f).with_suffix(s).exists() for s in (".md", ".ipynb"))
    ]
    assert not missing, f"_toc.yml names files that do not exist: {missing}"


def test_every_notebook_and_page_is_in_the_toc():
    listed = set(toc_files())
    pages = NOTEBOOKS + sorted(ROOT.glob("chapters/**/*.md"))
    orphans = [nb_id(p) for p in pages if str(p.relative_to(ROOT).with_suffix("")) not in listed]
    assert not orphans, f"not in _toc.yml: {orphans}"


def test_toc_parts_follow_the_articles_outline():
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    captions = [part["caption"] for part in toc["parts"]]
    assert captions[:8] == [
        "Background",
        "Core concepts",
        "Algorithms and math",
        "Code in practice",
        "Applications",
        "Tools and resources",
        "Future trends and challenges",
        "FAQ",
    ]
    assert {"glossary", "references"} <= set(toc_files())


@pytest.mark.parametrize("path", NOTEBOOKS, ids=nb_id)
def test_notebook_is_committed_without_outputs(path):
    nb = nbformat.read(path, as_version=4)
    dirty = [
        i
        for i, c in enumerate(nb.cells)
        if c.cell_type == "code" and (c.outputs or c.execution_count)
    ]
    assert not dirty, (
        f"cells {dirty} have outputs or execution counts: clear them before committing"
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=nb_id)
def test_notebook_has_one_title_a_summary_and_exercises(path):
    nb = nbformat.read(path, as_version=4)
    headings = [
        line
        for c in nb.cells
        if c.cell_type == "markdown"
        for line in c.source.splitlines()
        if line.startswith("#")
    ]
    assert len([h for h in headings if h.startswith("# ")]) == 1, "exactly one H1 title"
    assert "## Summary" in headings
    assert "## Exercises" in headings
    assert headings.index("## Summary") < headings.index("## Exercises")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=nb_id)
def test_notebook_starts_with_the_hidden_colab_cell(path):
    nb = nbformat.read(path, as_version=4)
    first_code = next(c for c in nb.cells if c.cell_type == "code")
    assert first_code.source == colab_cell_source(), "run: python tools/colab_cell.py"
    assert "remove-cell" in first_code.metadata.get("tags", [])


@pytest.mark.parametrize("path", NOTEBOOKS, ids=nb_id)
def test_notebook_reaches_no_network_and_installs_nothing(path):
    nb = nbformat.read(path, as_version=4)
    code = [
        c
        for c in nb.cells
        if c.cell_type == "code" and "remove-cell" not in c.metadata.get("tags", [])
    ]
    hits = [NETWORK.search(c.source).group(0) for c in code if NETWORK.search(c.source)]
    assert not hits, f"network access or installs in visible cells: {hits}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=nb_id)
def test_notebook_seeds_in_its_setup_cell(path):
    nb = nbformat.read(path, as_version=4)
    code = [c.source for c in nb.cells if c.cell_type == "code"]
    assert "set_seed(" in code[1], "the setup cell (first after the Colab cell) calls set_seed"


def test_repository_url_is_set_once_and_drives_the_colab_cell():
    url, branch = repository()
    assert url.startswith("https://github.com/")
    assert f"git+{url}@{branch}" in colab_cell_source()
    launch = CONFIG["launch_buttons"]
    assert launch["colab_url"] == "https://colab.research.google.com"
    assert launch["binderhub_url"]
    # jupyter-book derives the theme's options (launch buttons, repository) from _config.yml;
    # an html_theme_options under sphinx.config would replace them all and drop the buttons.
    assert "html_theme_options" not in CONFIG["sphinx"]["config"]
    assert CONFIG["html"]["use_repository_button"] is True


def test_book_serves_mathjax_and_loads_no_widget_manager_from_a_cdn():
    sphinx = CONFIG["sphinx"]
    assert "sphinx-mathjax-offline" in sphinx["extra_extensions"]
    assert not sphinx["config"]["mathjax_path"].startswith("http")
    assert sphinx["config"]["nb_ipywidgets_js"] == {}
    overrides = sphinx["config"]["nb_mime_priority_overrides"]
    assert ["html", "application/vnd.jupyter.widget-view+json", None] in overrides


def test_requirements_pin_every_direct_dependency():
    lines = [
        line.split("#")[0].strip()
        for line in (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines()
    ]
    reqs = [line for line in lines if line]
    assert reqs and all("==" in r for r in reqs), f"unpinned: {[r for r in reqs if '==' not in r]}"
    names = {r.split("==")[0].lower() for r in reqs}
    assert {"jupyter-book", "torch", "tensorflow-cpu", "nbval", "ipywidgets"} <= names
    pins = dict(r.lower().split("==") for r in reqs)
    assert pins["jupyter-book"].startswith("1.") and pins["torch"] == "2.13.0"


def glossary_terms() -> list[str]:
    """The terms defined in glossary.md, as written there."""
    text = (ROOT / "glossary.md").read_text(encoding="utf-8")
    block = text.split("```{glossary}", 1)[1].split("\n```", 1)[0]
    return [line.strip() for line in block.splitlines()[1:] if line and not line[0].isspace()]


def page_prose(file: str) -> str:
    """A page's prose: its markdown without math, code, headings and link texts."""
    path = ROOT / file
    if path.with_suffix(".ipynb").exists():
        nb = nbformat.read(path.with_suffix(".ipynb"), as_version=4)
        text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    else:
        text = path.with_suffix(".md").read_text(encoding="utf-8")
    text = re.sub(r"\$\$.*?\$\$|\$[^$]+\$", " ", text, flags=re.S)  # math
    text = re.sub(r"^#.*$|^[:`]{3}.*$|\[[^\]]*\]\([^)]*\)", " ", text, flags=re.M)  # titles, links
    # Roles and inline code in one left-to-right pass; only {term} roles stay.
    keep_terms = lambda m: m.group(0) if m.group(0).startswith("{term}") else " "  # noqa: E731
    return re.sub(r"\{[a-z:]+\}`[^`]*`|`[^`\n]+`", keep_terms, text)


TERM_ROLE = re.compile(r"\{term\}`(?:[^`<]*<)?([^`>]+)>?`")


def test_every_glossary_term_is_linked_on_the_page_that_first_uses_it():
    pages = [f for f in toc_files() if f not in ("glossary", "references")]
    prose = {f: page_prose(f) for f in pages}
    linked = {f: {t.strip().lower() for t in TERM_ROLE.findall(prose[f])} for f in pages}
    missing = []
    terms = glossary_terms()
    for term in terms:
        word = re.compile(rf"(?<![\w-]){re.escape(term)}(e?s)?(?![\w-])", re.I)
        longer = [t for t in terms if term.lower() in t.lower() and t != term]  # gradient descent
        drop = re.compile("|".join(map(re.escape, longer)) or "$^", re.I)
        first = next(
            (
                f
                for f in pages
                if word.search(drop.sub(" ", TERM_ROLE.sub(" ", prose[f])))
                or term.lower() in linked[f]
            ),
            None,
        )
        if first is not None and term.lower() not in linked[first]:
            missing.append(f"{term!r} first used in {first}")
    assert not missing, "link these with {term}`...` at first use:\n" + "\n".join(missing)


def test_every_glossary_term_is_used_somewhere():
    prose = " ".join(page_prose(f) for f in toc_files() if f not in ("glossary", "references"))
    unused = [t for t in glossary_terms() if not re.search(re.escape(t), prose, re.I)]
    assert not unused, f"glossary terms no page uses: {unused}"
