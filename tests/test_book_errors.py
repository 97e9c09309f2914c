"""Tests of tools/book_errors.py: a notebook that failed in the book build is named."""

from __future__ import annotations

from pathlib import Path

import nbformat

from tools.book_errors import describe, main

# What myst-nb writes to _build/html/reports/<page>.err.log (nbclient's CellExecutionError,
# colours included), shortened.
LOG = (
    "Traceback (most recent call last):\n"
    '  File ".../nbclient/client.py", line 918, in _check_raise_for_error\n'
    "nbclient.exceptions.CellExecutionError: "
    "An error occurred while executing the following cell:\n"
    "------------------\n"
    "y = 2\n"
    "assert x == 2, 'x is not 2'\n"
    "------------------\n\n\n"
    "\x1b[31mAssertionError\x1b[39m                            Traceback (most recent call last)\n"
    "\x1b[36mCell\x1b[39m In[2], line 2\n\n"
    "\x1b[31mAssertionError\x1b[39m: x is not 2\n"
)


def book(tmp_path: Path) -> tuple[Path, Path]:
    root, reports = tmp_path, tmp_path / "_build" / "html" / "reports"
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("# A chapter"),
        nbformat.v4.new_code_cell("x = 1"),
        nbformat.v4.new_code_cell("y = 2\nassert x == 2, 'x is not 2'"),
    ]
    (root / "chapters" / "part").mkdir(parents=True)
    nbformat.write(nb, root / "chapters" / "part" / "topic.ipynb")
    return root, reports


def test_a_failed_notebook_is_named_with_its_cell_and_error(tmp_path):
    root, reports = book(tmp_path)
    log = reports / "chapters" / "part" / "topic.err.log"
    log.parent.mkdir(parents=True)
    log.write_text(LOG, encoding="utf-8")
    line = describe(log, root, reports)
    assert line.startswith("make book: chapters/part/topic.ipynb failed at cell 2: ")
    assert "AssertionError: x is not 2" in line


def test_main_exits_1_when_a_notebook_failed_and_0_when_none_did(tmp_path, capsys):
    root, reports = book(tmp_path)
    assert main(reports, root) == 0
    log = reports / "chapters" / "part" / "topic.err.log"
    log.parent.mkdir(parents=True)
    log.write_text(LOG, encoding="utf-8")
    assert main(reports, root) == 1
    assert capsys.readouterr().out.count("make book:") == 1


def test_a_cell_that_cannot_be_found_is_reported_as_unknown(tmp_path):
    root, reports = book(tmp_path)
    log = reports / "chapters" / "part" / "topic.err.log"
    log.parent.mkdir(parents=True)
    log.write_text(LOG.replace("y = 2\n", "z = 3\n"), encoding="utf-8")
    assert "failed at cell ?" in describe(log, root, reports)
