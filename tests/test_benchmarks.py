"""The benchmark runner's own parts (benchmarks/_common.py, benchmarks/run.py): finding
the benchmarks, collating rows into tables with ratios, and stopping a run past its
limits. The benchmarks themselves are not tests; CI runs them small."""

from __future__ import annotations

import doctest
import importlib.util
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"


def _load(name: str):  # type: ignore[no-untyped-def]
    """A benchmark module by file name, importable as its scripts import each other."""
    if str(BENCHMARKS) not in sys.path:
        sys.path.insert(0, str(BENCHMARKS))
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCHMARKS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


common, run = _load("_common"), _load("run")


def test_the_runner_finds_the_scale_benchmarks_and_the_others() -> None:
    scaled, others = run.benchmarks()
    names = [p.name for p in scaled]
    assert names[0] == "build.py" and "analysis.py" in names
    assert "extraction.py" in [p.name for p in others]
    assert not {"run.py", "generate.py", "_common.py"} & {p.name for p in scaled + others}


def test_tables_give_ratios_to_the_flagged_peers_and_say_what_was_not_measured() -> None:
    rows = [
        {"stage": "build", "engine": "g60kg", "scale": 10, "seconds": 2.0, "peak_mb": 300.0, "triples_per_s": 50_000},
        {"stage": "build", "engine": "loop", "scale": 10, "seconds": 5.0, "peak_mb": 400.0, "peer": True},
        {"stage": "build", "engine": "slow", "scale": 10, "seconds": None, "peak_mb": None, "peer": True,
         "error": "stopped after 1800 s"},
        {"stage": "centrality", "engine": "igraph", "scale": 1, "measure": "betweenness", "seconds": 0.5},
        {"stage": "centrality", "engine": "networkx", "scale": 1, "measure": "betweenness", "seconds": 10.0,
         "estimated": True, "peer": True},
    ]
    tables = run.collate(rows)
    build = tables["build"].splitlines()
    assert build[0] == "| scale | engine | seconds | peak MB | triples/s | vs loop | vs slow |"
    assert build[2] == "| 10 | g60kg | 2.00 | 300 | 50,000 | 2.50x |  |"
    assert build[4] == "| 10 | slow | not measured: stopped after 1800 s |  |  |  |  |"
    centrality = tables["centrality"].splitlines()
    assert centrality[0] == "| scale | measure | engine | seconds | peak MB | vs networkx |"
    assert centrality[2:] == ["| 1 | betweenness | igraph | 0.50 |  | 20.00x |",
                              "| 1 | betweenness | networkx | 10.00 (est.) |  | 1.00x |"]


def test_a_run_past_its_memory_limit_is_stopped_and_one_within_it_is_measured() -> None:
    hog = "import time; x = bytearray({} * 2**20); time.sleep(2); print('{{}}')"
    stopped = common.spawn([sys.executable, "-c", hog.format(400)], max_mb=200)
    assert stopped.stopped == "stopped past 200 MB of memory" and stopped.code != 0
    done = common.spawn([sys.executable, "-c", hog.format(50)], max_mb=200)
    assert (done.code, done.stopped, done.stdout) == (0, "", "{}\n")
    assert done.peak_mb > 50  # the kernel's peak also counts this test process at the fork: no upper bound here


def test_a_failed_measurement_becomes_a_row_that_says_why() -> None:
    old = dict(common.LIMITS)
    common.LIMITS.update(timeout=1.0)
    try:
        results, why = common.repeat("sleeper", 3, lambda: common.run_child(
            [sys.executable, "-c", "import time; time.sleep(30)"]))
    finally:
        common.LIMITS.update(old)
    assert (results, why) == ([], "stopped after 1 s")
    row = common.measured_row("s", "e", 1, results, why)
    assert row["seconds"] is None and common.seconds_text(row) == "not measured: stopped after 1 s"


@pytest.mark.parametrize("module", [common, run], ids=["_common", "run"])
def test_the_docstring_examples_hold(module) -> None:  # type: ignore[no-untyped-def]
    assert doctest.testmod(module).failed == 0
