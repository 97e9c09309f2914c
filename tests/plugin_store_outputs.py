"""Pytest plugin, one job: store the outputs nbval saw in the book's execution cache.

In the nbval run of the notebooks (``make test``), when every cell of a notebook has passed,
the notebook with the outputs nbval saw is stored in the jupyter-cache that the book build
reads (``execute.cache`` in ``_config.yml``), so the build need not execute the notebooks
again. The build then finds the notebook's code unchanged and uses those outputs; a notebook
whose code changed since is executed by the build as usual. Only runs with the book's own
seeds are stored: under a non-zero ``BOOK_SEED_OFFSET`` (``make test-robust``) the book keeps
what it had. Loaded by the rootdir conftest.py.
"""

from __future__ import annotations

import copy
import fcntl
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]  # the book's root, where _config.yml is
CACHE = ROOT / "_build" / ".jupyter_cache"

_runs: dict[Path, dict] = {}  # notebook path -> {"nb", "outputs", "failed"}


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Collect each notebook cell's outputs; store the notebook once all its cells passed."""
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
