"""Keep the outputs of the nbval run so the book build need not execute notebooks again.

nbval runs every notebook cell by cell in a real kernel (``make test``). When every cell of
a notebook has passed, this plugin stores the notebook with the outputs nbval saw in the
jupyter-cache that the book build reads (``execute.cache`` in ``_config.yml``). The build
then finds the notebook's code unchanged and uses those outputs instead of executing it a
second time; a notebook whose code changed since is executed by the build as usual.
"""

from __future__ import annotations

import copy
import fcntl
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent
CACHE = ROOT / "_build" / ".jupyter_cache"

_runs: dict[Path, dict] = {}  # notebook path -> {"nb", "outputs", "failed"}


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
        if not run["failed"]:
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
