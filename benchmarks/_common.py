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
import signal
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from _conditions import add_busy

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
CHILD_FLAG = "--child"


def _memory_mb() -> float:
    try:
        return next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                    if line.startswith("MemTotal:")) / 1024
    except (OSError, StopIteration):
        return 0.0


# Limits of one measured run (the options --timeout and --max-memory set them).
LIMITS: dict[str, float] = {"timeout": 1800.0, "max_mb": 0.8 * _memory_mb()}


def add_options(parser: argparse.ArgumentParser, *, scale: float = 100, repeat: int = 3) -> None:
    """The options every scale benchmark takes (the contract ``run.py`` relies on)."""
    parser.add_argument("--scale", type=float, default=scale,
                        help=f"thousands of generated enterprises (benchmarks/generate.py) ({scale:g})")
    parser.add_argument("--repeat", type=int, default=repeat, help=f"runs per measurement; the median is shown ({repeat})")
    parser.add_argument("--seed", type=int, default=60, help="seed of the data generator (60)")
    parser.add_argument("--quick", action="store_true", help="scale 1, one run: a smoke run for CI")
    parser.add_argument("--json", type=Path, help="also write the measured rows to this JSON file")
    parser.add_argument("--timeout", type=float, default=LIMITS["timeout"],
                        help=f"stop a measured run after this many seconds ({LIMITS['timeout']:g})")
    parser.add_argument("--max-memory", type=float, default=LIMITS["max_mb"],
                        help=f"stop a measured run past this many MB of resident memory ({LIMITS['max_mb']:.0f}: "
                             "80%% of this machine's)")
    add_busy(parser)
    parser.add_argument(CHILD_FLAG, help=argparse.SUPPRESS)


def settle(args: argparse.Namespace) -> argparse.Namespace:
    """Apply ``--quick`` (scale 1, one run) and the limits of a measured run."""
    if args.quick:
        args.scale, args.repeat = 1, 1
    LIMITS.update(timeout=args.timeout, max_mb=args.max_memory)
    return args


def answered_as_child(args: argparse.Namespace, child: Any) -> bool:
    """Whether this process is a measured run (``--child JSON``): then ``child`` has run
    on the JSON request and its row has been printed as one JSON line."""
    if not args.child:
        return False
    print(json.dumps(child(json.loads(args.child))))
    return True


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


class ChildFailed(RuntimeError):
    """A measured run that failed or was stopped; the first line says why."""


@dataclass
class Finished:
    """How a child process ended."""

    code: int
    stdout: str
    stderr: str
    peak_mb: float  # the kernel's figure, its own or its largest descendant's
    stopped: str = ""  # why it was stopped, if it was
    cpu_s: float = 0.0  # user + sys seconds of the process and its waited-for descendants


def spawn(command: list[str], *, cwd: Path | None = None, env: dict[str, str] | None = None,
          timeout: float | None = None, max_mb: float | None = None) -> Finished:
    """Run ``command`` in a session of its own; stop it (with its descendants) past
    ``timeout`` seconds or ``max_mb`` MB of resident memory summed over them. The
    kernel's peak figure also counts this process's memory at the fork: right for a
    small parent, which is why children measure themselves (``peak_mb``)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        process = subprocess.Popen(command, stdout=out, stderr=err, cwd=cwd, env=env or child_env(),
                                   start_new_session=True)
        started, stopped = time.monotonic(), ""
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if not stopped and timeout and time.monotonic() - started > timeout:
                stopped = f"stopped after {timeout:.0f} s"
            elif not stopped and max_mb and _session_mb(process.pid) > max_mb:
                stopped = f"stopped past {max_mb:.0f} MB of memory"
            if stopped:
                _kill_session(process.pid)
            time.sleep(0.25)
        process.returncode = os.waitstatus_to_exitcode(status)
        _kill_session(process.pid)  # workers it left behind
        out.seek(0)
        err.seek(0)
        return Finished(process.returncode, out.read().decode("utf-8", "replace"),
                        err.read().decode("utf-8", "replace"), usage.ru_maxrss / 1024, stopped,
                        usage.ru_utime + usage.ru_stime)


def _session_mb(session: int) -> float:
    """Resident memory of every process of a session, in MB."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[3]) == session:  # field 6 of stat: the session id
            total += int(fields[21]) * os.sysconf("SC_PAGE_SIZE")  # field 24: resident pages
    return total / 2**20


def _kill_session(session: int) -> None:
    try:
        os.killpg(session, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def run_child(command: list[str], *, cwd: Path | None = None, env: dict[str, str] | None = None) -> dict[str, Any]:
    """Run a measured job, whose last line of output is a JSON object, within
    ``LIMITS``; return that object. Its ``peak_mb`` is the child's own (``peak_mb()``)
    when it reports one, else the kernel's figure; its ``cpu_s`` the child's own for the
    timed work (``_conditions.stopwatch``) when it reports one, else the CPU time of the
    whole process, imports included. Raises ``ChildFailed``."""
    done = spawn(command, cwd=cwd, env=env, timeout=LIMITS["timeout"], max_mb=LIMITS["max_mb"])
    if done.stopped:
        raise ChildFailed(done.stopped)
    if done.code != 0:
        killed = " (killed: out of memory?)" if done.code < 0 else ""
        raise ChildFailed(f"failed with exit status {done.code}{killed}\n{done.stderr[-4000:]}")
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if not lines:
        raise ChildFailed(f"printed no result\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    result = json.loads(lines[-1])
    result.setdefault("peak_mb", done.peak_mb)
    result.setdefault("cpu_s", done.cpu_s)
    return result


def self_child(script: Path, spec: dict[str, Any]) -> dict[str, Any]:
    """Run one job of a benchmark script in a child of this interpreter."""
    return run_child([sys.executable, str(script), CHILD_FLAG, json.dumps(spec, ensure_ascii=False)])


def repeat(job: str, runs: int, call) -> tuple[list[dict[str, Any]], str]:  # type: ignore[no-untyped-def]
    """``runs`` results of ``call()``, reported on stderr as they come; on a failed run,
    the results so far and the first line of why (no further runs)."""
    results: list[dict[str, Any]] = []
    for i in range(runs):
        try:
            result = call()
        except ChildFailed as exc:
            why = str(exc).splitlines()[0]
            print(f"  {job}: run {i + 1}/{runs}: {exc}", file=sys.stderr, flush=True)
            return results, why
        results.append(result)
        cpu = f", CPU {result['cpu_s']:.2f} s" if result.get("cpu_s") is not None else ""
        print(f"  {job}: run {i + 1}/{runs}: {result['seconds']:.2f} s{cpu}, peak {result['peak_mb']:.0f} MB",
              file=sys.stderr, flush=True)
    return results, ""


def measured_row(stage: str, engine: str, scale: float, results: list[dict[str, Any]], error: str,
                 **extra: Any) -> dict[str, Any]:
    """A JSON row: medians of seconds, CPU seconds (where every run has them) and peak
    memory over the runs, or the error of a measurement that did not finish (seconds None).

    >>> measured_row("s", "e", 1, [{"seconds": 2.0, "cpu_s": 1.5, "peak_mb": 9.0}], "")["cpu_s"]
    1.5
    """
    row: dict[str, Any] = {"stage": stage, "engine": engine, "scale": scale, **extra}
    if results:
        row.update(seconds=median(results), peak_mb=median(results, "peak_mb"), runs=[r["seconds"] for r in results])
        if all(r.get("cpu_s") is not None for r in results):
            row["cpu_s"] = median(results, "cpu_s")
    else:
        row.update(seconds=None, peak_mb=None, error=error)
    return row


def seconds_text(row: dict[str, Any]) -> str:
    """A row's seconds as a table shows them: ``1.23``, ``1.23 (est.)`` or why none."""
    if row.get("seconds") is None or row["seconds"] != row["seconds"]:  # None, or NaN: failed
        return f"not measured: {row.get('error') or ''}".strip()
    return f"{row['seconds']:.2f}" + (" (est.)" if row.get("estimated") else "")


def cpu_text(row: dict[str, Any]) -> str:
    """A row's CPU seconds (user + sys, with children) as a table shows them, or nothing.

    >>> cpu_text({"cpu_s": 3.14159}), cpu_text({})
    ('3.14', '')
    """
    return "" if row.get("cpu_s") is None else f"{row['cpu_s']:.2f}"


def median(runs: list[dict[str, Any]], key: str = "seconds") -> float:
    """The median of one figure over runs."""
    return float(statistics.median(r[key] for r in runs))


def machine() -> str:
    """Cores, memory, processor, OS and Python of this machine, in one line."""
    cpu = ""
    try:
        cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                    if line.startswith("model name")), "")
    except OSError:
        pass
    memory = f", {_memory_mb() / 1024:.0f} GiB RAM" if _memory_mb() else ""
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
    if not mine or not peers or mine != mine or peers != peers:  # missing, zero or NaN
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
