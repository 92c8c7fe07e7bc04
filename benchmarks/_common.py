"""What the benchmark scripts share: their common options, measured child processes,
the machine's description, Markdown tables and the JSON rows ``run.py`` collates.

A measured run is a fresh child process: it times its own work (after its imports) and
prints its figures, its peak resident memory among them, as one JSON line; runs share
no caches and memory is per run.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any, Iterable

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
CHILD_FLAG = "--child"


def add_options(parser: argparse.ArgumentParser, *, scale: float = 100, repeat: int = 3) -> None:
    """The options every scale benchmark takes (the contract ``run.py`` relies on)."""
    parser.add_argument("--scale", type=float, default=scale,
                        help=f"thousands of generated enterprises (benchmarks/generate.py) ({scale:g})")
    parser.add_argument("--repeat", type=int, default=repeat, help=f"runs per measurement; the median is shown ({repeat})")
    parser.add_argument("--seed", type=int, default=60, help="seed of the data generator (60)")
    parser.add_argument("--quick", action="store_true", help="scale 1, one run: a smoke run for CI")
    parser.add_argument("--json", type=Path, help="also write the measured rows to this JSON file")
    parser.add_argument(CHILD_FLAG, help=argparse.SUPPRESS)


def settle(args: argparse.Namespace) -> argparse.Namespace:
    """Apply ``--quick``: scale 1, one run."""
    if args.quick:
        args.scale, args.repeat = 1, 1
    return args


def child_env() -> dict[str, str]:
    """The environment of a child: this checkout and ``benchmarks/`` first on the path."""
    path = [str(REPO), str(HERE), os.environ.get("PYTHONPATH", "")]
    return dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in path if p))


def peak_mb() -> float:
    """This process's peak resident memory in MB (``VmHWM``, which ``exec`` resets), or
    that of its largest child process if larger.

    A child measures itself: the kernel's figure for a child (``ru_maxrss``) also counts
    the memory of the parent it was forked from, which a parent holding a graph inflates.
    """
    import resource

    own = 0
    try:
        own = next(int(line.split()[1]) for line in Path("/proc/self/status").read_text().splitlines()
                   if line.startswith("VmHWM:"))
    except (OSError, StopIteration):
        own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return max(own, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024


def spawn(command: list[str], *, cwd: Path | None = None, env: dict[str, str] | None = None
          ) -> tuple[int, str, str, float]:
    """Run ``command``; its exit status, output, error output, and the kernel's figure
    for its peak resident memory in MB (its own or its largest descendant's; it also
    counts the memory of this process at the fork, small for a small parent)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        process = subprocess.Popen(command, stdout=out, stderr=err, cwd=cwd, env=env or child_env())
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return (process.returncode, out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace"),
                usage.ru_maxrss / 1024)  # KiB on Linux


def run_child(command: list[str], *, cwd: Path | None = None, env: dict[str, str] | None = None) -> dict[str, Any]:
    """Run ``command``, whose last line of output is a JSON object; return that object.
    Its ``peak_mb`` is the child's own (``peak_mb()``) when it reports one, else the
    kernel's figure from ``spawn``."""
    code, stdout, stderr, peak = spawn(command, cwd=cwd, env=env)
    if code != 0:
        raise RuntimeError(f"{' '.join(command[:3])} … failed (exit {code}):\n{stderr[-4000:]}")
    lines = [line for line in stdout.splitlines() if line.startswith("{")]
    if not lines:
        raise RuntimeError(f"{' '.join(command[:3])} … printed no result:\n{stdout[-2000:]}\n{stderr[-2000:]}")
    result = json.loads(lines[-1])
    result.setdefault("peak_mb", peak)
    return result


def self_child(script: Path, spec: dict[str, Any]) -> dict[str, Any]:
    """Run one job of a benchmark script in a child of this interpreter."""
    return run_child([sys.executable, str(script), CHILD_FLAG, json.dumps(spec, ensure_ascii=False)])


def repeat(job: str, runs: int, call, *, log: bool = True) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
    """``runs`` results of ``call()``, reported on stderr as they come."""
    results = []
    for i in range(runs):
        result = call()
        results.append(result)
        if log:
            print(f"  {job}: run {i + 1}/{runs}: {result['seconds']:.2f} s, peak {result['peak_mb']:.0f} MB",
                  file=sys.stderr, flush=True)
    return results


def median(runs: list[dict[str, Any]], key: str = "seconds") -> float:
    """The median of one figure over runs."""
    return float(statistics.median(r[key] for r in runs))


def machine() -> str:
    """Cores, memory, processor, OS and Python of this machine, in one line."""
    memory = cpu = ""
    try:
        kib = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal:"))
        memory = f", {kib / 2**20:.0f} GiB RAM"
        cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                    if line.startswith("model name")), "")
    except (OSError, StopIteration):
        pass
    return (f"{os.cpu_count()} cores{memory}{f' ({cpu})' if cpu else ''}; {platform.platform()}; "
            f"Python {platform.python_version()}")


def versions(*modules: str) -> str:
    """``name version`` of each importable module, comma-separated."""
    from importlib import import_module

    found = []
    for name in modules:
        try:
            found.append(f"{name} {import_module(name).__version__}")
        except ImportError:
            continue
    return ", ".join(found)


def table(headers: list[str], rows: Iterable[list[Any]]) -> str:
    """A Markdown table; numbers right-aligned.

    >>> print(table(["tool", "s"], [["a", "1.00"]]))
    | tool | s |
    |---|---:|
    | a | 1.00 |
    """
    rows = [[str(c) for c in row] for row in rows]
    align = ["---:" if rows and all(_numeric(r[i]) for r in rows) else "---" for i in range(len(headers))]
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join(align) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def _numeric(text: str) -> bool:
    stripped = text.replace(",", "").replace("x", "").replace(" (est.)", "").strip()
    try:
        float(stripped)
    except ValueError:
        return text in ("", "n/a")
    return True


def ratio(mine: float | None, peers: float | None) -> str:
    """How many times faster ``mine`` seconds are than ``peers`` seconds, as ``2.50x``."""
    if not mine or not peers:
        return ""
    return f"{peers / mine:.2f}x"


def write_json(path: Path | None, rows: list[dict[str, Any]]) -> None:
    """Write the measured rows (each with stage, engine, scale, seconds) for run.py."""
    if path is None:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")


def dataset(scale: float, seed: int, folder: Path) -> list[Path]:
    """Generate the corridor-shaped data set into ``folder``; its mapping files."""
    from generate import write_dataset

    return write_dataset(scale, folder, seed=seed)
