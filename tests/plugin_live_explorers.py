"""Pytest plugin, one job: move every live explorer's slider after a notebook's last cell.

In the nbval run of the notebooks (``make test``), a notebook that calls ``lr_explorer`` gets
one more test item after its last cell, run in the notebook's own kernel: it moves the live
slider of every explorer the kernel holds (``helpers.widgets.explorers()``) to the ends of
its range and to a value between precomputed ones, with warnings turned into errors, and
checks that each move redraws exactly one figure, a new one. Loaded by the rootdir
conftest.py.
"""

from __future__ import annotations

import json

import pytest

LIVE_CHECK = """\
def _live_check():
    import json, warnings
    from helpers.widgets import explorers

    moved = []
    for e in explorers():
        lo, hi = e.lrs[0], e.lrs[-1]
        between = (e.lrs[-2] * hi) ** 0.5 if lo > 0 else (e.lrs[-2] + hi) / 2
        for value in (hi, between, lo):
            before = e.output.outputs
            with warnings.catch_warnings():
                warnings.simplefilter("error")  # a NaN or overflow warning fails
                e.slider.value = value
            after = e.output.outputs
            shown = [o.get("output_type") for o in after]
            assert shown == ["display_data"], f"{e.label} = {value:g} showed {after}"
            assert after != before, f"{e.label} = {value:g} did not redraw"
            moved.append(f"{e.label} = {value:.3g}")
    print(json.dumps(moved))


_live_check()
del _live_check
"""


class LiveExplorers(pytest.Item):
    """Move every explorer's live slider in the notebook's own nbval kernel."""

    def runtest(self) -> None:
        kernel = self.parent.kernel
        msg_id = kernel.execute_cell_input(LIVE_CHECK, allow_stdin=False)
        kernel.await_reply(msg_id, timeout=300)
        stdout, errors = "", []
        while True:
            msg = kernel.get_message(stream="iopub", timeout=60)
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            kind, content = msg["msg_type"], msg["content"]
            if kind == "status" and content["execution_state"] == "idle":
                break
            if kind == "stream":
                stdout += content["text"] if content["name"] == "stdout" else ""
            elif kind == "error":
                errors.append(f"{content['ename']}: {content['evalue']}")
        assert not errors, errors[0]
        self.moved = json.loads(stdout.strip().splitlines()[-1])
        assert self.moved, "the notebook calls lr_explorer, but no explorer was found"

    def reportinfo(self):
        return self.path, None, f"{self.parent.name}::live explorers"


def pytest_collection_modifyitems(session, config, items):
    """Append a LiveExplorers item after the last cell of each notebook that makes one."""
    out = []
    for i, item in enumerate(items):
        out.append(item)
        nb_file = item.parent
        last = i + 1 == len(items) or items[i + 1].parent is not nb_file
        if type(item).__name__ == "IPyNbCell" and last:
            if any("lr_explorer(" in c.source for c in nb_file.nb.cells if c.cell_type == "code"):
                out.append(LiveExplorers.from_parent(nb_file, name="live explorers"))
    items[:] = out
