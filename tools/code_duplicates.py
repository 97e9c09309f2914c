"""Blocks of code pasted across notebooks: the `duplicates` command, made notebook-aware.

`duplicates` (the tool library's command) reads source files as text and skips JSON, so
on its own it never sees a notebook's code. This script writes the code cells of every
chapter to one ``.py`` file per notebook (a ``# cell N`` comment before each cell, so a
row's line numbers lead back to a cell), copies ``helpers/`` beside them, and runs
``duplicates`` over that folder. Left out: the generated Colab cell (``tools/colab_cell.py``
writes the same cell into every notebook on purpose), IPython magics and import statements
(`duplicates` passes over one-line imports itself but counts the lines of a parenthesised
``from helpers.plotting import (...)``, which every setup cell has).

    python tools/code_duplicates.py            # rows for the whole book
    python tools/code_duplicates.py --keep D   # also leave the exported files in D
    python tools/code_duplicates.py -- --most 40 --min-lines 5   # options for duplicates

Where the command is missing (it belongs to the developers' tool library, not to the
repository), the script says so and exits 2.
"""

from __future__ import annotations

import argparse
import ast
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tools.colab_cell import colab_cell_source  # noqa: E402


def without_imports(source: str) -> str:
    """``source`` with magics dropped and every import statement blanked out."""
    lines = ["" if ln.lstrip().startswith(("%", "!")) else ln for ln in source.splitlines()]
    try:
        tree = ast.parse("\n".join(lines))
    except SyntaxError:
        return "\n".join(lines)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            for k in range(node.lineno - 1, node.end_lineno):
                lines[k] = ""
    return "\n".join(lines)


def notebook_code(path: Path, colab_source: str) -> str:
    """The code cells of one notebook as one Python file, without the Colab cell or imports."""
    nb = nbformat.read(path, as_version=4)
    parts = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code" or cell.source.strip() == colab_source.strip():
            continue
        parts.append(f"# cell {i}\n" + without_imports(cell.source) + "\n")
    return "\n".join(parts)


def export(folder: Path) -> int:
    """Write every chapter's code and a copy of helpers/ under ``folder``; return the count."""
    colab = colab_cell_source()
    notebooks = sorted((ROOT / "chapters").glob("*/*.ipynb"))
    for path in notebooks:
        name = f"{path.parent.name}__{path.stem}.py"
        (folder / name).write_text(notebook_code(path, colab), encoding="utf-8")
    shutil.copytree(
        ROOT / "helpers", folder / "helpers", ignore=shutil.ignore_patterns("__pycache__")
    )
    return len(notebooks)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=Path, help="write the exported files here and keep them")
    parser.add_argument("extra", nargs="*", help="options passed on to duplicates (after --)")
    args = parser.parse_args(argv)
    command = shutil.which("duplicates")
    if command is None:
        print("the `duplicates` command is not on PATH (it comes with the tool library)")
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        count = export(folder)
        print(f"{count} notebooks and helpers/ exported to {folder}")
        options = args.extra or ["--most", "100", "--seconds", "120"]
        run = subprocess.run([command, "--repo", str(folder), *options], check=False)
    return run.returncode


if __name__ == "__main__":
    sys.exit(main())
