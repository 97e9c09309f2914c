"""Run notebooks under other seeds and thread settings; list every check that fails.

A check in this book is a claim about deep learning, so it must hold for nearby seeds and
for any thread count. This tool is how bars are calibrated and how a change is tried
before CI tries it: each (notebook, seed offset, threads) run executes the notebook in a
fresh kernel with ``BOOK_SEED_OFFSET`` set, **keeps going past failing cells**, and
records every failing cell and what the checking cells printed::

    python tools/sweep.py --offsets 0-9 --threads one default --jobs 1 chapters/*/cnn.ipynb
    python tools/sweep.py --offsets 1-4              # every notebook in the toc

``--threads one`` gives each kernel one thread (as ``make test``); ``default`` leaves the
libraries their defaults (as a reader has them). ``--threads`` takes several values, so
an option must stand between it and the notebooks. Runs at the default threads want
``--jobs 1``: two kernels each using every core slow each other down several times.
Results go to ``_build/sweep/`` as one JSON file per run plus ``summary.md``;
``--grep REGEX`` prints, per run, the check lines that match (e.g. ``--grep accuracy``)
to read a bar's spread over seeds.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tools.report import checks_printed, toc_notebooks  # noqa: E402

OUT = ROOT / "_build" / "sweep"
THREAD_VARIABLES = (
    "OMP_NUM_THREADS",
    "MKL_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "TF_NUM_INTRAOP_THREADS",
    "TF_NUM_INTEROP_THREADS",
)


def environment(offset: int, threads: str) -> dict[str, str]:
    """The kernel's environment: the seed offset and the thread setting, nothing else."""
    env = {k: v for k, v in os.environ.items() if k not in THREAD_VARIABLES}
    env.pop("TF_ENABLE_ONEDNN_OPTS", None)  # as TensorFlow (and the setup cells) default it
    env["BOOK_SEED_OFFSET"] = str(offset)
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    env.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    if threads == "one":
        env.update(dict.fromkeys(THREAD_VARIABLES, "1"))
    return env


def run_one(path: Path, timeout: int) -> dict:
    """Execute ``path`` in this process's environment, keeping going past errors."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        allow_errors=True,
        resources={"metadata": {"path": path.parent}},
    )
    start = time.perf_counter()
    client.execute()
    failures = []
    for i, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                line = next((s for s in cell.source.splitlines() if "assert" in s), "")
                failures.append(
                    {"cell": i, "error": f"{out['ename']}: {out['evalue']}"[:300], "line": line}
                )
    return {
        "seconds": round(time.perf_counter() - start, 1),
        "failures": failures,
        "checks": checks_printed(nb),
    }


def launch(path: Path, offset: int, threads: str, timeout: int) -> dict:
    """Run one notebook in a subprocess with its own environment; store and return the result."""
    rel = path.relative_to(ROOT)
    cmd = [sys.executable, __file__, "--one", str(path), "--timeout", str(timeout)]
    proc = subprocess.run(cmd, env=environment(offset, threads), capture_output=True, text=True)
    try:
        result = json.loads(proc.stdout.strip().splitlines()[-1])
    except (json.JSONDecodeError, IndexError):
        result = {"seconds": None, "failures": [{"cell": None, "error": proc.stderr[-500:]}]}
        result["checks"] = []
    result.update(notebook=str(rel), offset=offset, threads=threads)
    name = f"{str(rel.with_suffix('')).replace('/', '__')}__o{offset}_{threads}.json"
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / name).write_text(json.dumps(result, indent=1), encoding="utf-8")
    return result


def offsets_arg(text: str) -> list[int]:
    """'0-4' -> [0, 1, 2, 3, 4]; '1,3' -> [1, 3]."""
    values: list[int] = []
    for part in text.split(","):
        lo, _, hi = part.partition("-")
        values += list(range(int(lo), int(hi or lo) + 1))
    return values


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("notebooks", nargs="*", type=Path)
    parser.add_argument("--offsets", type=offsets_arg, default=[0])
    parser.add_argument("--threads", nargs="+", choices=("one", "default"), default=["one"])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--timeout", type=int, default=600)
    parser.add_argument("--grep", help="print the check lines that match this regex")
    parser.add_argument("--one", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(run_one(args.one.resolve(), args.timeout)))
        return 0
    notebooks = [p.resolve() for p in args.notebooks] or toc_notebooks()
    runs = [(p, o, t) for p in notebooks for o in args.offsets for t in args.threads]
    with ThreadPoolExecutor(args.jobs) as pool:
        results = list(pool.map(lambda r: launch(*r, args.timeout), runs))
    lines = []
    for r in results:
        status = "ok" if not r["failures"] else f"{len(r['failures'])} FAILED"
        lines.append(
            f"{r['notebook']} offset {r['offset']} {r['threads']}: {status} ({r['seconds']} s)"
        )
        lines += [
            f"    cell {f['cell']}: {f['error']}  [{f.get('line', '').strip()}]"
            for f in r["failures"]
        ]
        if args.grep:
            lines += [f"    {c}" for c in r["checks"] if re.search(args.grep, c)]
    print("\n".join(lines))
    (OUT / "summary.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return int(any(r["failures"] for r in results))


if __name__ == "__main__":
    sys.exit(main())
