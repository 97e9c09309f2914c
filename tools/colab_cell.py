"""The Colab setup cell every notebook starts with, derived from _config.yml.

The repository URL lives in one place, ``repository.url`` in ``_config.yml``. This module
turns it into the first code cell of every chapter (tagged ``remove-cell``, so the HTML book
hides it; folded in JupyterLab and Colab). ``tests/test_book.py`` checks that every notebook
carries exactly this cell; ``python tools/colab_cell.py`` rewrites the cell in every
notebook after the URL changes.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
import yaml

ROOT = Path(__file__).resolve().parent.parent

TEMPLATE = """\
# Colab only (hidden in the book): install the book's helpers package.
# --no-deps leaves Colab's own numpy, torch, tensorflow and ipywidgets untouched.
# Elsewhere this cell does nothing.
import subprocess
import sys

if "google.colab" in sys.modules:
    package = "git+{url}@{branch}"
    pip = [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", package]
    subprocess.run(pip, check=True)"""


def repository() -> tuple[str, str]:
    """The repository URL and branch from _config.yml."""
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    repo = config["repository"]
    return repo["url"].rstrip("/"), repo.get("branch", "main")


def colab_cell_source() -> str:
    url, branch = repository()
    return TEMPLATE.format(url=url, branch=branch)


# The cell's metadata: hidden in the book (remove-cell), folded in JupyterLab
# (source_hidden) and in Colab (cellView form, "Show code"), where it still runs.
METADATA = {"tags": ["remove-cell"], "jupyter": {"source_hidden": True}, "cellView": "form"}


def sync(paths: list[Path]) -> list[Path]:
    """Rewrite the first code cell of each notebook in ``paths``; return the changed ones."""
    changed = []
    source = colab_cell_source()
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        cell = next(c for c in nb.cells if c.cell_type == "code")
        metadata = {**cell.metadata, **METADATA}
        if cell.source != source or cell.metadata != metadata:
            cell.source, cell.metadata = source, nbformat.from_dict(metadata)
            nbformat.write(nb, path)
            changed.append(path)
    return changed


if __name__ == "__main__":
    notebooks = sorted(ROOT.glob("chapters/**/*.ipynb"))
    for p in sync(notebooks):
        print("updated", p.relative_to(ROOT))
    sys.exit(0)
