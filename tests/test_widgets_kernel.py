"""The learning-rate explorer in a real Jupyter kernel, as a learner meets it live."""

from __future__ import annotations

import nbformat
from nbclient import NotebookClient

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
