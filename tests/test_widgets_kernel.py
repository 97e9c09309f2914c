"""The learning-rate explorer in a real Jupyter kernel, as a learner meets it live."""

from __future__ import annotations

import json

import nbformat
from nbclient import NotebookClient

from tests.plugin_live_explorers import LIVE_CHECK

SETUP = """\
import warnings
import numpy as np
from helpers.widgets import lr_explorer

warnings.simplefilter("error")  # a NaN/overflow warning anywhere fails the test


def run(lr):  # gradient descent on (w - 1)^2, stopping once it blows up
    path = [5.0]
    for _ in range(40):
        path.append(path[-1] - lr * 2 * (path[-1] - 1))
        if abs(path[-1]) > 1e6:
            break
    return np.array(path)


def draw(fig, lr, path):
    ax = fig.subplots()
    ax.semilogy(np.abs(path - 1) + 1e-12)
    ax.set_title(f"lr = {lr:.3g}")


explorer = lr_explorer(run, draw, [0.01, 0.1, 0.5, 0.9, 1.5], value=0.1, figsize=(3, 2), dpi=40)
explorer
"""

MOVE = """\
before = explorer.output.outputs
explorer.slider.value = 1.3  # live: not one of the precomputed values; diverges
after = explorer.output.outputs
assert len(after) == 1 and after[0]["output_type"] == "display_data", after
assert after[0]["data"]["image/png"] != before[0]["data"]["image/png"]
print("moved", len(explorer.frames))
"""


def test_moving_the_live_slider_in_a_kernel_redraws_one_figure_without_warnings(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(SETUP), nbformat.v4.new_code_cell(MOVE)]
    NotebookClient(
        nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    ).execute()
    shown = nb.cells[0].outputs[0]["data"]
    assert {"text/html", "application/vnd.jupyter.widget-view+json"} <= set(shown)
    assert 'class="lr-explorer"' in shown["text/html"]
    assert nb.cells[1].outputs[0]["text"] == "moved 5\n"
    assert not [o for c in nb.cells for o in c.outputs if o.get("name") == "stderr"]


MOMENTUM = """\
momentum = lr_explorer(run, draw, [0.0, 0.5, 0.9], label="momentum β", log=False, dpi=30)
"""

BREAK = """\
explorer.update = lambda lr: None  # its slider moves, its figure stays
"""


def test_the_notebook_tests_live_check_moves_every_explorer_and_fails_on_a_stale_figure(
    tmp_path,
):
    """tests/plugin_live_explorers.py's check, as it runs after a notebook's last cell."""
    nb = nbformat.v4.new_notebook()
    cells = [SETUP, MOMENTUM, LIVE_CHECK, BREAK, LIVE_CHECK]
    nb.cells = [nbformat.v4.new_code_cell(c) for c in cells]
    NotebookClient(
        nb,
        timeout=120,
        kernel_name="python3",
        allow_errors=True,
        resources={"metadata": {"path": str(tmp_path)}},
    ).execute()
    (printed,) = [o for o in nb.cells[2].outputs if o.get("name") == "stdout"]
    assert json.loads(printed["text"]) == [
        "learning rate α = 1.5",
        "learning rate α = 1.16",
        "learning rate α = 0.01",
        "momentum β = 0.9",
        "momentum β = 0.7",
        "momentum β = 0",
    ]
    (error,) = [o for o in nb.cells[4].outputs if o["output_type"] == "error"]
    assert (error["ename"], error["evalue"]) == (
        "AssertionError",
        "learning rate α = 1.5 did not redraw",
    )
