"""The book's performance report: every notebook executed alone, timed and measured.

``make report`` runs this. Each chapter notebook (in table-of-contents order) runs in a
fresh kernel, one at a time, so the times are what a reader's laptop sees, not the
parallel test run's. For each notebook the report gives

- the wall time of executing it, top to bottom, kernel start-up included;
- the peak resident memory of the kernel process (and of any process it started);
- its headline checks: what the cells that check something (``assert`` or a
  ``helpers.checks`` function) print, i.e. the accuracies, ranges and framework
  differences the notebook asserts.

It writes ``_build/report/report.md`` (with the checks) and ``report.json``; with
``--readme`` it also replaces the short table (notebook, time, memory) in README.md between
the ``report:start`` and ``report:end`` markers.
A notebook that fails is reported as failed and makes the command exit non-zero.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import sys
import time
from pathlib import Path

import nbformat
import yaml
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "_build" / "report"
CHECKS = re.compile(r"^\s*assert\b|\bcheck_\w+\(", re.MULTILINE)
PROGRESS = re.compile(r"\d+%\|")  # a tqdm progress bar's frame, not a result
START, END = "<!-- report:start -->", "<!-- report:end -->"
PEAK_RSS = (
    "import resource as _r\n"
    "print(max(_r.getrusage(_r.RUSAGE_SELF).ru_maxrss,"
    " _r.getrusage(_r.RUSAGE_CHILDREN).ru_maxrss))"
)


def toc_notebooks() -> list[Path]:
    """The chapter notebooks in the order of ``_toc.yml``."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    files = [c["file"] for part in toc["parts"] for c in part["chapters"]]
    return [ROOT / f"{f}.ipynb" for f in files if (ROOT / f"{f}.ipynb").exists()]


def checks_printed(nb: nbformat.NotebookNode) -> list[str]:
    """What the notebook's checking cells printed, in order, one entry a line."""
    lines = []
    for cell in nb.cells:
        if cell.cell_type != "code" or not CHECKS.search(cell.source):
            continue
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream" and out.get("name") == "stdout":
                lines += [
                    s.strip()
                    for s in out["text"].splitlines()
                    if s.strip() and not PROGRESS.search(s)
                ]
    return lines


def run_notebook(path: Path, timeout: int) -> dict:
    """Execute one notebook in a fresh kernel; return its time, peak memory and checks."""
    nb = nbformat.read(path, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(PEAK_RSS))
    client = NotebookClient(
        nb, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": path.parent}}
    )
    start = time.perf_counter()
    error = None
    try:
        client.execute()
    except CellExecutionError as err:
        error = str(err).strip().splitlines()[-1]
    seconds = time.perf_counter() - start
    peak_kb = None if error else int(nb.cells[-1].outputs[0]["text"])
    return {
        "notebook": str(path.relative_to(ROOT)),
        "seconds": round(seconds, 1),
        "peak_mb": None if peak_kb is None else round(peak_kb / 1024),
        "checks": checks_printed(nb),
        "error": error,
    }


def machine() -> str:
    cores = os.cpu_count()
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    py = platform.python_version()
    return f"{platform.machine()}, {cores} CPU cores, {mem:.0f} GB RAM, no GPU used, Python {py}"


BUDGET_S = 30  # each notebook, alone, on a 2-core laptop (the developers' guide)


def markdown(rows: list[dict], when: str, *, checks: bool = True) -> str:
    """The report as a Markdown table; ``checks=False`` leaves out what the checks print
    (the short table for README.md; the full one goes to ``_build/report/report.md``)."""
    total = sum(r["seconds"] for r in rows)
    peak = max((r["peak_mb"] or 0) for r in rows)
    over = [short_name(r) for r in rows if r["seconds"] > BUDGET_S]
    lines = [
        f"Taken {when} on {machine()}; each notebook alone in a fresh kernel "
        f"(`make report`). Total {total:.0f} s; the largest peak memory {peak} MB. "
        + (
            f"Over the {BUDGET_S} s budget: {', '.join(over)}."
            if over
            else f"Every notebook within the {BUDGET_S} s budget."
        ),
        "",
        "| notebook | time (s) | peak memory (MB) |" + (" headline checks |" if checks else ""),
        "|---|--:|--:|" + ("---|" if checks else ""),
    ]
    for r in rows:
        row = f"| {short_name(r)} | {r['seconds']:.1f} | {r['peak_mb'] or '–'} |"
        if r["error"]:
            row += f" **FAILED**: {r['error']} |"
        elif checks:
            row += " " + "<br>".join(c.replace("|", "\\|") for c in r["checks"]) + " |"
        lines.append(row)
    return "\n".join(lines) + "\n"


def short_name(row: dict) -> str:
    return row["notebook"].removeprefix("chapters/").removesuffix(".ipynb")


def update_readme(table: str, readme: Path = ROOT / "README.md") -> None:
    """Replace what stands between the report markers in ``readme`` by ``table``."""
    text = readme.read_text(encoding="utf-8")
    if START not in text or END not in text:
        raise SystemExit(f"README.md lacks the {START} / {END} markers")
    head, rest = text.split(START, 1)
    tail = rest.split(END, 1)[1]
    readme.write_text(f"{head}{START}\n{table}{END}{tail}", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: every toc chapter")
    parser.add_argument("--readme", action="store_true", help="write the table into README")
    parser.add_argument("--timeout", type=int, default=300, help="seconds per cell")
    args = parser.parse_args(argv)
    paths = [p.resolve() for p in args.notebooks] or toc_notebooks()
    rows = []
    for path in paths:
        row = run_notebook(path, args.timeout)
        status = "FAILED" if row["error"] else f"{len(row['checks'])} checks"
        print(f"{row['notebook']}: {row['seconds']:.1f} s, {row['peak_mb']} MB, {status}")
        rows.append(row)
    when = dt.date.today().isoformat()
    table = markdown(rows, when)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "report.md").write_text(table, encoding="utf-8")
    (OUT / "report.json").write_text(json.dumps(rows, indent=1, ensure_ascii=False) + "\n")
    print(f"wrote {OUT / 'report.md'}")
    if args.readme:
        update_readme(markdown(rows, when, checks=False))
        print("updated README.md")
    return 1 if any(r["error"] for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
