"""The Colab-equivalent pass: every notebook run the way a Colab reader runs it.

In Colab a reader opens one notebook, alone, and the hidden first cell installs the
book's ``helpers`` package with ``pip install --no-deps``; everything else comes from
Colab's own packages, among them ipywidgets 7 where the book's own environment has 8.
``make test-colab`` reproduces that:

1. ``.venv-colab`` (made by the Makefile) sees the book's packages through a ``.pth`` file
   but has its own ipywidgets 7.7.1 in front of them, and ``helpers`` installed from the
   clone exactly as the Colab cell installs it (``pip install --no-deps``, not editable);
2. this script copies each notebook, alone, into a fresh temporary folder outside the
   repository and runs it there under nbval with that interpreter, the live sliders
   moved as in ``make test`` (``tests/plugin_live_explorers.py``);
3. the seeds are shifted by ``--offset`` and the thread counts are the libraries'
   defaults, so the pass is also the robustness pass.

A notebook that reads a file of the repository (``data/...``) or imports ``helpers`` from
the clone fails here, as it would in Colab. Relative paths fail because the notebook runs
outside the clone; absolute ones (a path built from ``__file__`` or from a search for the
repository root) fail too: an IPython start-up file (:func:`guard_source`) installs an
audit hook in each kernel that refuses to open any file of the clone outside its virtual
environments, so a notebook reads only the installed packages and the files it writes.

    python tools/colab_pass.py --python .venv-colab/bin/python --offset 2
    python tools/colab_pass.py --python .venv-colab/bin/python chapters/*/speech.ipynb
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tools.report import toc_notebooks  # noqa: E402

# Variables a reader's environment does not set: thread pins of `make test`, the
# repository on the path, TensorFlow's oneDNN switch (the notebooks leave its default).
UNSET = (
    "OMP_NUM_THREADS",
    "MKL_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "TF_NUM_INTRAOP_THREADS",
    "TF_NUM_INTEROP_THREADS",
    "TF_ENABLE_ONEDNN_OPTS",
    "PYTHONPATH",
)

CONFTEST = """\
# Written by tools/colab_pass.py: load the live-slider plugin from the repository's tests.
import sys

sys.path.insert(0, {tests!r})
pytest_plugins = ["plugin_live_explorers"]
"""

PROBE = """\
import ipywidgets, helpers, pathlib, sys
where = pathlib.Path(helpers.__file__).resolve()
print(f"python {sys.version.split()[0]}, ipywidgets {ipywidgets.__version__}, helpers from {where}")
assert ipywidgets.__version__.startswith("7."), ipywidgets.__version__
assert not str(where).startswith(ROOT + "/helpers/"), "helpers comes from the clone"
"""


# Run in each kernel before the notebook's first cell (an IPython start-up file).
GUARD = """\
# Written by tools/colab_pass.py: a notebook may not open files of the book's clone.
import os
import sys

_BOOK_ROOT = {root!r}
_BOOK_ALLOWED = tuple(os.path.join(_BOOK_ROOT, d) + os.sep for d in {allowed!r})


def _book_guard(event, args):
    if event != "open" or isinstance(args[0], int):  # an fd: its path was checked
        return
    try:
        full = os.path.realpath(os.fsdecode(args[0]))
    except (TypeError, ValueError):
        return
    if full.startswith(_BOOK_ROOT + os.sep) and not full.startswith(_BOOK_ALLOWED):
        raise PermissionError(
            f"the notebook opened {{full}}, a file of the book's repository; in Colab "
            "only the helpers package is installed: ship data inside helpers and load "
            "it through helpers.data, or generate it"
        )


sys.addaudithook(_book_guard)
"""

# The clone's virtual environments hold the installed packages a kernel must read.
ALLOWED = (".venv", ".venv-colab")


def guard_source(root: Path = ROOT) -> str:
    """The start-up code that makes a kernel refuse to open the files of ``root``."""
    return GUARD.format(root=os.path.realpath(root), allowed=ALLOWED)


def environment(offset: int, ipython_dir: Path | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in UNSET}
    env["BOOK_SEED_OFFSET"] = str(offset)
    if ipython_dir is not None:  # kernels read their start-up files from here
        startup = ipython_dir / "profile_default" / "startup"
        startup.mkdir(parents=True, exist_ok=True)
        (startup / "00-book-guard.py").write_text(guard_source(), encoding="utf-8")
        env["IPYTHONDIR"] = str(ipython_dir)
    return env


def probe(python: str, env: dict[str, str], folder: Path) -> None:
    """Fail early unless ``python`` has ipywidgets 7 and an installed, non-clone helpers."""
    code = f"ROOT = {str(ROOT)!r}\n" + PROBE
    subprocess.run([python, "-c", code], check=True, cwd=folder, env=env)


def run(notebooks: list[Path], python: str, offset: int) -> int:
    failed = []
    with tempfile.TemporaryDirectory(prefix="colab_pass_") as tmp:
        env = environment(offset, Path(tmp) / ".ipython")
        probe(python, env, Path(tmp))
        for path in notebooks:
            folder = Path(tmp) / path.stem  # the notebook alone, as Colab opens it
            folder.mkdir()
            shutil.copy(path, folder / path.name)
            conftest = CONFTEST.format(tests=str(ROOT / "tests"))
            (folder / "conftest.py").write_text(conftest, encoding="utf-8")
            command = [python, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--nbval-lax"]
            command += ["--nbval-current-env", "--nbval-cell-timeout=300", path.name]
            start = time.perf_counter()
            done = subprocess.run(command, cwd=folder, env=env, check=False)
            seconds = time.perf_counter() - start
            status = "ok" if done.returncode == 0 else f"FAILED (exit {done.returncode})"
            print(f"== {path.relative_to(ROOT)}: {status} in {seconds:.0f} s", flush=True)
            if done.returncode != 0:
                failed.append(str(path.relative_to(ROOT)))
    if failed:
        print(f"{len(failed)} notebook(s) failed the Colab pass: {', '.join(failed)}")
    return 1 if failed else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--python", required=True, help="the Colab-like interpreter")
    parser.add_argument("--offset", type=int, default=1, help="BOOK_SEED_OFFSET (default 1)")
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: every toc chapter")
    args = parser.parse_args(argv)
    notebooks = [p.resolve() for p in args.notebooks] or toc_notebooks()
    names = [p.name for p in notebooks]
    if len(set(names)) != len(names):
        parser.error("two notebooks share a file name")
    python = os.path.abspath(args.python)  # not resolve(): a venv's python is a symlink
    return run(notebooks, python, args.offset)


if __name__ == "__main__":
    sys.exit(main())
