"""After ``make book``: name each notebook that failed to execute, and the cell.

myst-nb does not stop the build when a notebook fails (``raise_on_error: false``): it
writes the traceback to ``_build/html/reports/<page>.err.log`` and the page shows it. This
script reads those logs and prints one line per failed notebook, e.g.::

    make book: chapters/03_algorithms/rnn_tasks.ipynb failed at cell 62: AssertionError: ...

and exits 1 if there is any, so a failure never goes unnoticed in a book that was built.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
REPORTS = ROOT / "_build" / "html" / "reports"
CELL = re.compile(r"-{18}\n(.*?)\n-{18}", re.S)
ANSI = re.compile(r"\x1b\[[0-9;]*m")
ERROR = re.compile(r"^(\w+(?:Error|Exception|Interrupt|Exit)\b.*)$", re.M)


def failed_cell(notebook: Path, log: str) -> str:
    """The index of the cell whose source the log quotes, or '?' if none matches."""
    quoted = CELL.search(log)
    if not (quoted and notebook.exists()):
        return "?"
    source = quoted.group(1).strip()
    cells = nbformat.read(notebook, as_version=4).cells
    hits = [i for i, c in enumerate(cells) if c.cell_type == "code" and c.source.strip() == source]
    return str(hits[0]) if hits else "?"


def describe(log_path: Path, root: Path = ROOT, reports: Path = REPORTS) -> str:
    """One line naming the notebook of ``log_path``, the failing cell and the error."""
    page = log_path.relative_to(reports).as_posix().removesuffix(".err.log")
    notebook = root / f"{page}.ipynb"
    log = ANSI.sub("", log_path.read_text(encoding="utf-8", errors="replace"))
    errors = ERROR.findall(log)
    error = errors[-1].strip()[:200] if errors else "see the log"
    cell = failed_cell(notebook, log)
    return f"make book: {page}.ipynb failed at cell {cell}: {error} (log: {log_path})"


def main(reports: Path = REPORTS, root: Path = ROOT) -> int:
    logs = sorted(reports.rglob("*.err.log")) if reports.exists() else []
    for log in logs:
        print(describe(log, root, reports))
    return 1 if logs else 0


if __name__ == "__main__":
    sys.exit(main())
