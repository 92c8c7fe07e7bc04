"""The conditions a benchmark ran under, recorded beside its figures: the load average
before and after, the CPU time (user + sys) beside the wall time, and an optional
controlled background load (``--busy N``: N CPU-burning processes started before the
measurements and stopped after them, whatever happens).

A figure taken on a shared machine means little without the load it was taken under;
CPU time says how much work a step did whatever the load, and ``--busy`` makes a loaded
machine reproducible. Every benchmark records them the same way:

    with Conditions(busy=args.busy) as conditions:
        rows = measure(...)
    conditions.stamp(rows)          # load_before, load_after, busy, cpu_s/wall_s of the run
    print(conditions.text())

or, in one line, ``rows = conditioned(lambda: measure(...), busy=args.busy)``.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from types import TracebackType
from typing import Any, Callable, Iterator

__all__ = ["BURN_LIMIT", "Conditions", "add_busy", "conditioned", "cpu_seconds", "load", "stopwatch"]

# A burner stops by itself after this many seconds, or as soon as its parent is gone:
# a benchmark killed without running its cleanup leaves no CPU burning behind.
BURN_LIMIT = 6 * 3600.0
_BURN = """
import os, sys, time
parent, deadline = int(sys.argv[1]), time.monotonic() + float(sys.argv[2])
while os.getppid() == parent and time.monotonic() < deadline:
    for _ in range(200_000):
        pass
"""


def load() -> float:
    """The 1-minute load average.

    >>> load() >= 0
    True
    """
    return os.getloadavg()[0]


def cpu_seconds() -> float:
    """User + system CPU seconds of this process (all its threads) and of its children
    that have been waited for.

    >>> cpu_seconds() > 0
    True
    """
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


@contextmanager
def stopwatch() -> Iterator[dict[str, float]]:
    """Wall seconds (``seconds``) and CPU seconds (``cpu_s``, ``cpu_seconds``) of the block,
    in the dict it yields, filled in when the block ends.

    >>> with stopwatch() as clock:
    ...     _ = sum(range(10_000))
    >>> sorted(clock), clock["seconds"] >= 0
    (['cpu_s', 'seconds'], True)
    """
    figures: dict[str, float] = {}
    wall, cpu = time.perf_counter(), cpu_seconds()
    try:
        yield figures
    finally:
        figures.update(seconds=time.perf_counter() - wall, cpu_s=cpu_seconds() - cpu)


def add_busy(parser: argparse.ArgumentParser) -> None:
    """The ``--busy N`` option."""
    parser.add_argument("--busy", type=int, default=0, metavar="N",
                        help="run with N CPU-burning processes in the background, started before and stopped after "
                             "the measurements (0)")


class Conditions:
    """Records the load average and CPU time around a benchmark and keeps ``busy``
    CPU-burning processes running meanwhile. The burners are stopped when the block
    ends, on an error, Ctrl-C or SIGTERM too; they also stop by themselves when this
    process is gone or after ``BURN_LIMIT`` seconds.

    >>> with Conditions(busy=1) as c:
    ...     running = [p.poll() for p in c.burners]
    >>> running, [p.poll() is not None for p in c.burners], c.figures()["busy"]
    ([None], [True], 1)
    """

    def __init__(self, busy: int = 0) -> None:
        if busy < 0:
            raise ValueError(f"--busy takes a number of processes, 0 or more; got {busy}")
        self.busy = busy
        self.burners: list[subprocess.Popen[bytes]] = []
        self.load_before = self.load_after = 0.0
        self.wall_s = self.cpu_s = 0.0
        self._started = self._cpu = 0.0
        self._sigterm: Any = None

    def __enter__(self) -> "Conditions":
        self.load_before = load()
        self._sigterm = signal.signal(signal.SIGTERM, _raise_exit) if _main_thread() else None
        try:
            self.burners = [subprocess.Popen([sys.executable, "-c", _BURN, str(os.getpid()), str(BURN_LIMIT)],
                                             stdin=subprocess.DEVNULL) for _ in range(self.busy)]
        except BaseException:
            self._stop()
            raise
        self._started, self._cpu = time.perf_counter(), cpu_seconds()
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 traceback: TracebackType | None) -> None:
        # Read before the burners are waited for: their CPU time is not the benchmark's.
        self.wall_s, self.cpu_s = time.perf_counter() - self._started, cpu_seconds() - self._cpu
        self.load_after = load()
        self._stop()

    def _stop(self) -> None:
        for burner in self.burners:
            burner.kill()
        for burner in self.burners:
            burner.wait()
        if self._sigterm is not None:
            signal.signal(signal.SIGTERM, self._sigterm)
            self._sigterm = None

    def figures(self) -> dict[str, Any]:
        """The conditions as fields of a JSON row."""
        return {"busy": self.busy, "load_before": round(self.load_before, 2), "load_after": round(self.load_after, 2),
                "run_wall_s": round(self.wall_s, 2), "run_cpu_s": round(self.cpu_s, 2)}

    def stamp(self, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Add the conditions to each row (a row's own figures are kept); the rows."""
        for row in rows:
            for key, value in self.figures().items():
                row.setdefault(key, value)
        return rows

    def text(self) -> str:
        """One line for a printed report.

        >>> c = Conditions(busy=2); c.load_before, c.load_after, c.wall_s, c.cpu_s = 1.0, 3.5, 10.0, 12.25
        >>> c.text()
        'conditions: load average (1 min) 1.00 before, 3.50 after; --busy 2; CPU 12.2 s (user+sys, with children) in 10.0 s wall'
        """
        return (f"conditions: load average (1 min) {self.load_before:.2f} before, {self.load_after:.2f} after; "
                f"--busy {self.busy}; CPU {self.cpu_s:.1f} s (user+sys, with children) in {self.wall_s:.1f} s wall")


def conditioned(run: Callable[[], list[dict[str, Any]]], *, busy: int = 0) -> list[dict[str, Any]]:
    """The one-line hook: ``run()`` under ``Conditions(busy)``, its rows stamped with
    them and their line printed.

    >>> rows = conditioned(lambda: [{"stage": "s"}])  # doctest: +ELLIPSIS
    conditions: load average (1 min) ... before, ... after; --busy 0; CPU ...
    >>> rows[0]["busy"], "load_before" in rows[0]
    (0, True)
    """
    with Conditions(busy) as conditions:
        rows = run()
    print(conditions.text(), flush=True)
    return conditions.stamp(rows)


def _main_thread() -> bool:
    import threading

    return threading.current_thread() is threading.main_thread()


def _raise_exit(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)
