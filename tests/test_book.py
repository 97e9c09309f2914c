"""The book's structure: table of contents, notebook shape, configuration."""

from __future__ import annotations

import ast
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
    # the articles' eight parts, in their order, and one part that goes beyond them
    assert captions[:9] == [
        "Background",
        "Core concepts",
        "Algorithms and math",
        "Modern building blocks",
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


SOLUTION_PROMPT = "Show solution"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=nb_id)
def test_solution_cells_are_folded_in_every_front_end(path):
    """The book folds a solution, code and output, behind its button (myst-nb's prompt on
    a hide-cell cell); JupyterLab folds it with ``jupyter.source_hidden`` and
    ``outputs_hidden``, Colab with ``cellView: form`` ("Show code"). A learner meets the
    exercise before its answer everywhere, and the printed answer is folded too."""
    nb = nbformat.read(path, as_version=4)
    unfolded = []
    for k, c in enumerate(nb.cells):
        md = c.metadata
        is_solution = c.cell_type == "code" and c.source.startswith("# Solution")
        if md.get("mystnb", {}).get("code_prompt_show") != SOLUTION_PROMPT and not is_solution:
            continue
        jupyter = md.get("jupyter", {})
        folded = (
            "hide-cell" in md.get("tags", [])
            and jupyter.get("source_hidden") is True
            and jupyter.get("outputs_hidden") is True
            and md.get("cellView") == "form"
            and md.get("mystnb", {}).get("code_prompt_show") == SOLUTION_PROMPT
        )
        # a folded cell still shows its first line (JupyterLab): it must not give the answer
        first = c.source.split("\n", 1)[0]
        if not folded or not re.fullmatch(r"# Solution( to exercise \d+)?", first):
            unfolded.append(k)
    assert not unfolded, (
        f"solution cells {unfolded} are not folded in every front end, or their first line "
        "is more than '# Solution'"
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=nb_id)
def test_each_code_solution_has_a_cell_for_the_learner_before_it(path):
    """Review row #11: the learner writes in a '# Your turn' cell right above the folded
    solution. It holds comments only (what to write, the check to run on it), so it runs
    as it stands and gives nothing away."""
    nb = nbformat.read(path, as_version=4)
    missing = []
    for k, c in enumerate(nb.cells):
        if c.cell_type != "code" or not c.source.startswith("# Solution"):
            continue
        prev = nb.cells[k - 1]
        stub = prev.cell_type == "code" and prev.source.startswith("# Your turn")
        if not stub or ast.parse(prev.source).body:
            missing.append(k)
    assert not missing, (
        f"solution cells {missing} have no comment-only '# Your turn' cell right above them"
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=nb_id)
def test_notebook_starts_with_the_hidden_colab_cell(path):
    nb = nbformat.read(path, as_version=4)
    first_code = next(c for c in nb.cells if c.cell_type == "code")
    assert first_code.source == colab_cell_source(), "run: python tools/colab_cell.py"
    meta = first_code.metadata
    assert "remove-cell" in meta.get("tags", [])
    folded = meta.get("jupyter", {}).get("source_hidden") is True and meta.get("cellView") == "form"
    assert folded, "the Colab cell is folded in JupyterLab and Colab: run tools/colab_cell.py"


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


# A seeding call or argument given a number: the run would ignore the notebook's seed and
# BOOK_SEED_OFFSET. Later cells use helpers.seed (derive_seed, numpy_rng, torch_generator,
# reseed) instead.
LITERAL_SEED = re.compile(
    r"(manual_seed|set_random_seed|default_rng|RandomState|random\.seed|np\.random\.seed)"
    r"\(\s*\d|\b(random_state|seed)\s*=\s*\d|default_rng\(\s*\)|np\.random\.seed\("
)


def literal_seeds(cells: list[str]) -> list[str]:
    """Lines of ``cells`` (code, the setup cell first) that seed with a literal number."""
    found = []
    for i, source in enumerate(cells):
        for line in source.splitlines():
            code = line.split("#", 1)[0]
            if LITERAL_SEED.search(code) or (i > 0 and re.search(r"\bset_seed\(", code)):
                found.append(line.strip())
    return found


@pytest.mark.parametrize("path", NOTEBOOKS, ids=nb_id)
def test_every_seed_derives_from_the_setup_cell(path):
    nb = nbformat.read(path, as_version=4)
    code = [c.source for c in nb.cells if c.cell_type == "code"][1:]  # from the setup cell on
    found = literal_seeds(code)
    assert not found, f"seeds not derived through helpers.seed: {found}"


def test_literal_seed_lint_catches_each_form():
    bad = [
        "torch.manual_seed(0)",
        "g = torch.Generator().manual_seed(3)",
        "keras.utils.set_random_seed(1)",
        "rng = np.random.default_rng(2)",
        "rng = np.random.default_rng()",
        "np.random.seed(s)",
        "RandomForestClassifier(random_state=0)",
        "layers.Dropout(0.5, seed=0)",
        "def run(seed=0):",
    ]
    for line in bad:
        assert literal_seeds(["rng = set_seed(0)", line]), line
    good = ["torch.manual_seed(derive_seed(0))", "numpy_rng(1)", "run(seed=seed)", "reseed(2)"]
    assert not literal_seeds(["rng = set_seed(0)", *good])
    assert literal_seeds(["rng = set_seed(0)", "set_seed(1)"])  # only the setup cell seeds


TIMERS = re.compile(r"perf_counter|process_time|monotonic|time\.time|timeit")


def _walk_scope(node: ast.AST):
    """``ast.walk`` that does not enter nested function bodies (their own scope)."""
    todo = list(ast.iter_child_nodes(node))
    while todo:
        child = todo.pop()
        yield child
        if not isinstance(child, (ast.FunctionDef, ast.Lambda)):
            todo.extend(ast.iter_child_nodes(child))


class _Clock:
    """Which names of a scope hold a time measurement, and which function results do.

    A name is a time when it is assigned an expression that reads a clock (a clock stamp
    such as ``start = time.perf_counter()`` itself is not a duration), uses a time, or
    calls a function that returns one; ``times.append(t)`` makes ``times`` one. Tuples are
    followed element by element: in ``secs, out = timed(f)`` only ``secs`` is a time.
    Each function is its own scope, so a local name does not taint a global one.
    """

    def __init__(self, tree: ast.Module) -> None:
        self.returns: dict[str, set[int]] = {}  # function -> positions of times it returns
        functions = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)]
        while True:
            before = {k: set(v) for k, v in self.returns.items()}
            for fn in functions:
                local = self.scope(fn)
                hits = self.returns.setdefault(fn.name, set())
                for ret in (r for r in _walk_scope(fn) if isinstance(r, ast.Return) and r.value):
                    parts = self.elements(ret.value, local)
                    if parts is not None:
                        hits.update(i for i, is_time in enumerate(parts) if is_time)
                    elif self.dirty(ret.value, local):
                        hits.add(-1)  # returns a single time
            if self.returns == before:
                break
        self.module = self.scope(tree)

    def dirty(self, node: ast.AST, tainted: set[str]) -> bool:
        for call in (n for n in ast.walk(node) if isinstance(n, ast.Call)):
            if isinstance(call.func, ast.Name) and -1 in self.returns.get(call.func.id, ()):
                return True
        used = {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}
        return bool(TIMERS.search(ast.unparse(node)) or used & tainted)

    def elements(self, value: ast.AST, tainted: set[str]) -> list[bool] | None:
        if isinstance(value, ast.Tuple):
            return [self.dirty(e, tainted) for e in value.elts]
        if isinstance(value, ast.Call) and isinstance(value.func, ast.Name):
            hits = self.returns.get(value.func.id, set())
            return [i in hits for i in range(16)] if hits - {-1} else None
        return None

    def scope(self, node: ast.AST) -> set[str]:
        tainted: set[str] = set()
        while True:
            before = len(tainted)
            for stmt in _walk_scope(node):
                if isinstance(stmt, ast.Assign):
                    for target in stmt.targets:
                        self.assign(target, stmt.value, tainted)
                elif isinstance(stmt, (ast.AugAssign, ast.AnnAssign)) and stmt.value:
                    self.assign(stmt.target, stmt.value, tainted)
                elif isinstance(stmt, ast.Call) and isinstance(stmt.func, ast.Attribute):
                    # a list of times; not a list of records that hold a time among others
                    plain = [a for a in stmt.args if not isinstance(a, (ast.Dict, ast.Tuple))]
                    if stmt.func.attr in ("append", "extend") and any(
                        self.dirty(a, tainted) for a in plain
                    ):
                        tainted.update(_names(stmt.func.value))
            if len(tainted) == before:
                return tainted

    def assign(self, target: ast.AST, value: ast.AST, tainted: set[str]) -> None:
        if re.fullmatch(r"(time\.)?\w+\(\)", ast.unparse(value)) and TIMERS.search(
            ast.unparse(value)
        ):
            return  # a clock stamp, not a duration
        parts = self.elements(value, tainted) if isinstance(target, ast.Tuple) else None
        if parts is not None:
            for elt, is_time in zip(target.elts, parts, strict=False):
                if is_time:
                    tainted.update(_names(elt))
        elif self.dirty(value, tainted):
            tainted.update(_names(target))


def _names(target: ast.AST) -> list[str]:
    while isinstance(target, (ast.Subscript, ast.Attribute, ast.Starred)):
        target = target.value
    if isinstance(target, (ast.Tuple, ast.List)):
        return [n for elt in target.elts for n in _names(elt)]
    return [target.id] if isinstance(target, ast.Name) and target.id != "_" else []


def clock_asserts(source: str) -> list[str]:
    """The ``assert`` statements of ``source`` that test a time measurement."""
    lines = [ln for ln in source.splitlines() if not ln.lstrip().startswith(("%", "!"))]
    tree = ast.parse("\n".join(lines))
    tainted = _Clock(tree).module
    return [
        ast.unparse(node)
        for node in ast.walk(tree)
        if isinstance(node, ast.Assert)
        and (
            TIMERS.search(ast.unparse(node.test))
            or {n.id for n in ast.walk(node.test) if isinstance(n, ast.Name)} & tainted
        )
    ]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=nb_id)
def test_no_check_asserts_a_wall_clock_time(path):
    nb = nbformat.read(path, as_version=4)
    source = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    found = clock_asserts(source)
    assert not found, f"asserts on a time measurement (print timings, don't assert them): {found}"


def test_clock_lint_follows_timings_through_names_lists_and_functions():
    code = (
        "start = time.perf_counter()\n"
        "secs = time.perf_counter() - start\n"
        "ratio = secs / 2\n"
        "times = []\n"
        "times.append(time.perf_counter() - start)\n"
        "def timed(f):\n"
        "    t0 = time.perf_counter()\n"
        "    return time.perf_counter() - t0, f()\n"
        "dt, out = timed(print)\n"
        "assert ratio < 3\n"
        "assert min(times) > 0\n"
        "assert dt < 1\n"
        "assert out is None\n"
    )
    assert clock_asserts(code) == ["assert ratio < 3", "assert min(times) > 0", "assert dt < 1"]


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


EQUATION_LABEL = re.compile(r"^\$\$ \(([\w-]+)\)\s*$|^:label: ([\w-]+)\s*$", re.M)


def shown_strings(source: str) -> list[str]:
    """String literals in code that reach the reader (prints, legends, titles): all of
    them but docstrings. Comments are not strings, so they are not included."""
    tree = ast.parse(source)
    docstrings = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr):
            if isinstance(body[0].value, ast.Constant) and isinstance(body[0].value.value, str):
                docstrings.add(id(body[0].value))
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
        if id(node) not in docstrings
    ]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=nb_id)
def test_no_equation_label_is_shown_to_the_reader(path):
    """The prose calls equations by number; a label such as (gan-dstar) printed in an
    output or a figure legend means nothing to the reader."""
    nb = nbformat.read(path, as_version=4)
    markdown = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    labels = {a or b for a, b in EQUATION_LABEL.findall(markdown)}
    shown = [
        s
        for c in nb.cells[1:]
        if c.cell_type == "code"
        for s in shown_strings(c.source)
        if any(f"({label})" in s for label in labels)
    ]
    assert not shown, f"equation labels in strings the reader sees: {shown}"


def test_shown_strings_skip_docstrings_and_comments():
    source = 'def f():\n    """(eq-a) doc"""\n    return 1  # (eq-b)\nprint(f"x (eq-c) {f()}")\n'
    shown = " ".join(shown_strings(source))
    assert "(eq-c)" in shown and "(eq-a)" not in shown and "(eq-b)" not in shown


# Teach once, import after: a helpers module that a chapter teaches holds exactly the code
# that chapter writes out. Every public top-level function and class of the module must be
# defined in one of the chapter's code cells, with the same source, docstring included.
# Each module that the book teaches, and the chapters that write its functions out.
TAUGHT = {
    "helpers/training.py": (
        "chapters/04_practice/training_workflow.ipynb",
        "chapters/04_practice/reproducibility_and_production.ipynb",
    ),
    "helpers/scratch.py": (
        "chapters/02_concepts/neurons_and_networks.ipynb",
        "chapters/02_concepts/activations.ipynb",
        "chapters/02_concepts/losses.ipynb",
        "chapters/02_concepts/gradient_descent.ipynb",
        "chapters/02_concepts/backpropagation.ipynb",
    ),
    "helpers/metrics.py": (
        "chapters/01_background/what_is_deep_learning.ipynb",
        "chapters/03_algorithms/cnn_analysis.ipynb",
    ),
    "helpers/augment.py": ("chapters/03_algorithms/cnn_analysis.ipynb",),
    "helpers/cnn.py": ("chapters/03_algorithms/cnn.ipynb",),
    "helpers/recurrent.py": ("chapters/03_algorithms/rnn_cells.ipynb",),
    "helpers/normalisation.py": ("chapters/03b_modern/normalisation.ipynb",),
    "helpers/conv.py": (
        "chapters/03_algorithms/convolution.ipynb",
        "chapters/03_algorithms/pooling_and_backward.ipynb",
    ),
    "helpers/language_model.py": ("chapters/03_algorithms/rnn_language_model.ipynb",),
    "helpers/attention.py": ("chapters/03b_modern/attention.ipynb",),
    "helpers/attribution.py": ("chapters/07_future/interpretability.ipynb",),
    "helpers/gan.py": ("chapters/03_algorithms/gan.ipynb",),
    "helpers/frameworks.py": ("chapters/06_tools/frameworks.ipynb",),
    "helpers/mlp_training.py": ("chapters/04_practice/regularisation.ipynb",),
}


def top_level_definitions(source: str) -> dict[str, str]:
    """The source of each top-level ``def`` and ``class`` in ``source``, by name."""
    lines = source.splitlines()
    found = {}
    for node in ast.parse(source).body:
        if isinstance(node, ast.FunctionDef | ast.ClassDef):
            start = min([node.lineno, *(d.lineno for d in node.decorator_list)])
            found[node.name] = "\n".join(lines[start - 1 : node.end_lineno])
    return found


def taught_mismatches(module_source: str, cells: list[str]) -> list[str]:
    """Public definitions of the module that no cell defines identically."""
    in_cells: dict[str, list[str]] = {}
    for source in cells:
        for name, code in top_level_definitions(source).items():
            in_cells.setdefault(name, []).append(code)
    wrong = []
    for name, code in top_level_definitions(module_source).items():
        if name.startswith("_"):
            continue
        if name not in in_cells:
            wrong.append(f"{name}: not written out in the chapter")
        elif code not in in_cells[name]:
            wrong.append(f"{name}: the chapter's cell and the module differ")
    return wrong


def code_cells(path: Path) -> list[str]:
    return [c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]


@pytest.mark.parametrize(("module", "chapters"), TAUGHT.items())
def test_taught_code_and_its_helper_module_agree(module, chapters):
    cells = [source for chapter in chapters for source in code_cells(ROOT / chapter)]
    wrong = taught_mismatches((ROOT / module).read_text(encoding="utf-8"), cells)
    assert not wrong, f"{module} and {', '.join(chapters)} drifted apart: {wrong}"


# Taught names that lesson chapters may define again, each for a reason of its own:
# fit/evaluate/fit_keras are common words that a chapter teaching a loop of its own uses;
# make_mlp/new_mlp, the names chapters give their own small networks.
REDEFINABLE = {"fit", "evaluate", "fit_keras", "History", "make_mlp", "new_mlp"}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=nb_id)
def test_a_taught_function_is_imported_not_written_again(path):
    """Outside the chapter that writes a helper out, a notebook imports it instead."""
    defined = set()
    for source in code_cells(path):
        defined |= set(top_level_definitions(source))
    again = []
    for module, chapters in TAUGHT.items():
        if str(path.relative_to(ROOT)) in chapters:
            continue
        names = top_level_definitions((ROOT / module).read_text(encoding="utf-8"))
        taught = {n for n in names if not n.startswith("_")} - REDEFINABLE
        again += [f"{n} ({module})" for n in sorted(taught & defined)]
    assert not again, f"defines what it should import: {again}"


def test_taught_code_check_catches_a_changed_line_and_a_missing_definition():
    module = 'def f(x):\n    """Double."""\n    return 2 * x\n\n\nclass C:\n    pass\n'
    assert taught_mismatches(module, [module]) == []
    assert taught_mismatches(module, ["import math\n" + module + "\nprint(f(1))\n"]) == []
    changed = module.replace("2 * x", "x + x")
    assert taught_mismatches(module, [changed]) == ["f: the chapter's cell and the module differ"]
    assert taught_mismatches(module, ['def f(x):\n    """Double."""\n    return 2 * x\n']) == [
        "C: not written out in the chapter"
    ]


THREADS_LINE = "torch.set_num_threads(1)  # small networks: one thread is faster than several"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=nb_id)
def test_thread_settings_follow_the_one_policy(path):
    """A notebook leaves thread counts to the libraries, except that one training small
    PyTorch networks may pin PyTorch to one thread, with this line (CONTRIBUTING.md)."""
    nb = nbformat.read(path, as_version=4)
    odd = []
    for c in nb.cells:
        if c.cell_type != "code" or "set_num_threads" not in c.source:
            continue
        lines = c.source.splitlines()
        for node in ast.walk(ast.parse(c.source)):
            call = isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            if call and node.func.attr == "set_num_threads":
                if lines[node.lineno - 1].strip() != THREADS_LINE:
                    odd.append(lines[node.lineno - 1].strip())
    assert not odd, f"thread settings other than {THREADS_LINE!r}: {odd}"


FRAMEWORK_IMPORTS = {
    "PyTorch": re.compile(r"^\s*(?:import torch\b|from torch\b)", re.M),
    "Keras": re.compile(r"^\s*(?:import (?:keras|tensorflow)\b|from (?:keras|tensorflow)\b)", re.M),
}
NO_FRAMEWORK = re.compile(
    r"^```\{admonition\} Why there is no (PyTorch|Keras)(?: or (PyTorch|Keras))? version", re.M
)


def frameworks_missing(cells: list[nbformat.NotebookNode]) -> list[str]:
    """Frameworks a chapter neither uses nor explains the absence of, in a markdown
    admonition titled "Why there is no <framework> version"."""
    code = "\n".join(c.source for c in cells if c.cell_type == "code")
    prose = "\n".join(c.source for c in cells if c.cell_type == "markdown")
    explained = {name for names in NO_FRAMEWORK.findall(prose) for name in names if name}
    return [
        name
        for name, pattern in FRAMEWORK_IMPORTS.items()
        if not pattern.search(code) and name not in explained
    ]


@pytest.mark.parametrize("path", [p for p in NOTEBOOKS if p.parts[-2] >= "02"], ids=nb_id)
def test_chapters_after_the_background_use_both_frameworks(path):
    """Parts 2-8 teach each topic in NumPy, PyTorch and Keras (STYLE.md), or say why not."""
    missing = frameworks_missing(nbformat.read(path, as_version=4).cells)
    assert not missing, f"no {' and no '.join(missing)} here, and no admonition saying why"


def test_framework_check_accepts_an_explained_absence():
    md, code = nbformat.v4.new_markdown_cell, nbformat.v4.new_code_cell
    torch_only = [code("import torch")]
    assert frameworks_missing(torch_only) == ["Keras"]
    assert (
        frameworks_missing([*torch_only, md("```{admonition} Why there is no Keras version\n")])
        == []
    )
    both = md("```{admonition} Why there is no PyTorch or Keras version\n")
    assert frameworks_missing([both]) == []
    assert frameworks_missing([code("import keras\nfrom torch import nn")]) == []
    assert frameworks_missing([md("import torch")]) == ["PyTorch", "Keras"]


DEVICE_IDIOM = re.compile(r"torch\.device\(\s*[\"']cuda[\"']\s+if")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=nb_id)
def test_the_device_comes_from_the_one_policy(path):
    """PyTorch's device comes from helpers.device.torch_device() (BOOK_DEVICE, no TF32),
    not from a local copy of the cuda-if-available idiom."""
    nb = nbformat.read(path, as_version=4)
    code = [c.source for c in nb.cells if c.cell_type == "code"]
    assert not [s for s in code if DEVICE_IDIOM.search(s)], "use helpers.device.torch_device()"
