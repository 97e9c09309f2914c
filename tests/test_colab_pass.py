"""Tests of tools/colab_pass.py: the guard that keeps notebooks out of the repository."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tools.colab_pass import environment, guard_source

OPEN = """
import sys
try:
    open(sys.argv[1]).close()
except PermissionError as error:
    print("refused:", error)
else:
    print("opened")
"""


@pytest.fixture
def clone(tmp_path):
    """A fake clone with a data file, a file in its .venv, and a file outside it."""
    root = tmp_path / "clone"
    for name in ("data/sentences.tsv", ".venv/lib/site.py", ".venv-colab/lib/helpers.py"):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text("x")
    (tmp_path / "elsewhere.txt").write_text("x")
    return root


def opened(root: Path, path: Path) -> str:
    """Run the guard for ``root`` in a fresh interpreter, then open ``path``."""
    code = guard_source(root) + OPEN
    done = subprocess.run(
        [sys.executable, "-c", code, str(path)], capture_output=True, text=True, check=True
    )
    return done.stdout


def test_a_file_of_the_clone_is_refused(clone):
    out = opened(clone, clone / "data" / "sentences.tsv")
    assert out.startswith("refused:") and "sentences.tsv" in out and "helpers.data" in out


def test_a_relative_path_into_the_clone_is_refused(clone):
    out = opened(clone, clone / "data" / ".." / "data" / "sentences.tsv")
    assert out.startswith("refused:")


@pytest.mark.parametrize("name", [".venv/lib/site.py", ".venv-colab/lib/helpers.py"])
def test_installed_packages_in_the_clone_may_be_read(clone, name):
    assert opened(clone, clone / name) == "opened\n"


def test_files_outside_the_clone_may_be_read(clone):
    assert opened(clone, clone.parent / "elsewhere.txt") == "opened\n"


def test_kernels_get_the_guard_as_an_ipython_startup_file(tmp_path):
    env = environment(3, tmp_path / "ipython")
    startup = Path(env["IPYTHONDIR"]) / "profile_default" / "startup" / "00-book-guard.py"
    assert startup.read_text() == guard_source()
    assert env["BOOK_SEED_OFFSET"] == "3" and "PYTHONPATH" not in env


def test_ipython_runs_the_guard(tmp_path):
    env = environment(0, tmp_path / "ipython")
    readme = Path(__file__).resolve().parents[1] / "README.md"
    command = [sys.executable, "-m", "IPython", "--quick", "-c", f"open({str(readme)!r})"]
    done = subprocess.run(command, capture_output=True, text=True, env=env, cwd=tmp_path)
    assert "PermissionError" in done.stdout + done.stderr
