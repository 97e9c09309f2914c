"""Two additions to the nbval run of the notebooks (``make test``).

1. Live explorers. After the last cell of a notebook that makes learning-rate explorers,
   one more test item runs in the same kernel: it moves every explorer's live slider (to
   the ends of its range and to a value between precomputed ones) with warnings turned into
   errors, and checks that each move redraws exactly one figure, a new one.

2. Keep the outputs, so the book build need not execute the notebooks again. When every
   cell of a notebook has passed, the notebook with the outputs nbval saw is stored in the
   jupyter-cache that the book build reads (``execute.cache`` in ``_config.yml``). The
   build then finds the notebook's code unchanged and uses those outputs; a notebook whose
   code changed since is executed by the build as usual. Only runs with the book's own
   seeds are stored: under a non-zero ``BOOK_SEED_OFFSET`` (``make test-robust``) the
   book keeps what it had.
"""

from __future__ import annotations

import copy
import fcntl
import json
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent
CACHE = ROOT / "_build" / ".jupyter_cache"

LIVE_CHECK = """\
def _live_check():
    import gc, json, warnings
    from helpers.widgets import LearningRateExplorer

    explorers = [o for o in gc.get_objects() if isinstance(o, LearningRateExplorer)]
    moved = []
    for e in explorers:
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

_runs: dict[Path, dict] = {}  # notebook path -> {"nb", "outputs", "failed"}


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


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    if type(item).__name__ != "IPyNbCell" or call.when != "call":
        return
    nb_file = item.parent
    run = _runs.setdefault(Path(nb_file.fspath), {"nb": nb_file.nb, "outputs": {}, "failed": False})
    report = outcome.get_result()
    run["failed"] |= not report.passed
    run["outputs"][item.cell_num] = item.test_outputs or []
    n_code = sum(c.cell_type == "code" for c in nb_file.nb.cells)
    if len(run["outputs"]) == n_code:
        if not run["failed"] and os.environ.get("BOOK_SEED_OFFSET", "").strip() in ("", "0"):
            _store(Path(nb_file.fspath), run["nb"], run["outputs"])
        del _runs[Path(nb_file.fspath)]


def _store(path: Path, nb, outputs: dict[int, list]) -> None:
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn

    executed = copy.deepcopy(nb)
    code_cells = [c for c in executed.cells if c.cell_type == "code"]
    for i, cell in enumerate(code_cells):
        cell.outputs = copy.deepcopy(outputs[i])
        cell.execution_count = i + 1
        for out in cell.outputs:
            if out.get("output_type") == "execute_result":
                out["execution_count"] = i + 1
    CACHE.mkdir(parents=True, exist_ok=True)
    with open(CACHE.parent / ".jupyter_cache.lock", "w") as lock:  # xdist workers share it
        fcntl.flock(lock, fcntl.LOCK_EX)
        get_cache(str(CACHE)).cache_notebook_bundle(
            CacheBundleIn(executed, str(path), data={"executed_by": "nbval"}),
            check_validity=False,
            overwrite=True,
        )
