"""The performance report: what it collects from an executed notebook, and where it writes."""

import nbformat
import pytest

from tools import report


def executed(cells):
    """A notebook whose code cells printed the given stdout."""
    nb = nbformat.v4.new_notebook()
    for source, text in cells:
        cell = nbformat.v4.new_code_cell(source)
        cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=text)]
        nb.cells.append(cell)
    return nb


def test_report_collects_what_checking_cells_print_and_nothing_else():
    nb = executed(
        [
            ("print(acc)\nassert acc > 0.9", "test accuracy 0.97\n"),
            ("check_close(a, b, name='w')", "✓ w is correct (max abs difference 1e-16)\n"),
            ("print('just a figure caption')", "hello\n"),
            ("x = 'assert in a string'\nprint(x)", "not a check\n"),
        ]
    )
    assert report.checks_printed(nb) == [
        "test accuracy 0.97",
        "✓ w is correct (max abs difference 1e-16)",
    ]


def test_report_leaves_out_progress_bar_frames():
    bar = "PyTorch:  22%|██▏       | 22/100 [00:01<00:04, loss=0.01]\r"
    nb = executed([("for _ in tqdm(...): ...\nassert acc > 0.9", bar + "test accuracy 0.97\n")])
    assert report.checks_printed(nb) == ["test accuracy 0.97"]


def test_report_table_has_a_row_a_notebook_and_marks_failures():
    rows = [
        {
            "notebook": "chapters/a/x.ipynb",
            "seconds": 3.0,
            "peak_mb": 700,
            "checks": ["acc | 0.9"],
            "error": None,
        },
        {
            "notebook": "chapters/a/y.ipynb",
            "seconds": 1.0,
            "peak_mb": None,
            "checks": [],
            "error": "AssertionError: too low",
        },
    ]
    table = report.markdown(rows, "2026-01-01")
    assert "Total 4 s" in table and "largest peak memory 700 MB" in table
    assert "| a/x | 3.0 | 700 | acc \\| 0.9 |" in table
    assert "| a/y | 1.0 | – | **FAILED**: AssertionError: too low |" in table
    assert "Every notebook within the 30 s budget" in table
    short = report.markdown(rows, "2026-01-01", checks=False)
    assert "| a/x | 3.0 | 700 |\n" in short and "acc" not in short
    assert "| a/y | 1.0 | – | **FAILED**: AssertionError: too low |" in short
    rows[0]["seconds"] = 31.0
    assert "Over the 30 s budget: a/x." in report.markdown(rows, "2026-01-01", checks=False)


def test_report_replaces_only_the_marked_part_of_the_readme(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text(f"intro\n{report.START}\nold\n{report.END}\nafter\n")
    report.update_readme("new table\n", readme)
    assert readme.read_text() == f"intro\n{report.START}\nnew table\n{report.END}\nafter\n"
    readme.write_text("no markers\n")
    with pytest.raises(SystemExit, match="markers"):
        report.update_readme("x", readme)
