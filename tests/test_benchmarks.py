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


common, run, conditions = _load("_common"), _load("run"), _load("_conditions")


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


def test_tables_show_cpu_time_and_the_load_beside_the_wall_time() -> None:
    rows = [{"stage": "build", "engine": "g60kg", "scale": 1, "seconds": 2.0, "cpu_s": 3.5, "peak_mb": 10.0,
             "load_before": 0.5, "load_after": 1.25, "busy": 1}]
    lines = run.collate(rows)["build"].splitlines()
    assert lines[0] == "| scale | engine | seconds | CPU s | peak MB | load before→after (busy) |"
    assert lines[2] == "| 1 | g60kg | 2.00 | 3.50 | 10 | 0.50→1.25 (1) |"


def test_a_child_reports_cpu_time_and_a_row_keeps_its_median() -> None:
    burn = "import json; [i for i in range(3_000_000)]; print(json.dumps({'seconds': 1.0}))"
    result = common.run_child([sys.executable, "-c", burn])
    assert result["cpu_s"] > 0  # the kernel's figure for the whole child, when it reports none
    row = common.measured_row("s", "e", 1, [{**result, "cpu_s": c} for c in (1.0, 3.0, 2.0)], "")
    assert row["cpu_s"] == 2.0


def _gone(pid: int) -> bool:
    import os

    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"


@pytest.mark.parametrize("error", [RuntimeError, KeyboardInterrupt])
def test_busy_processes_burn_during_the_block_and_are_stopped_even_on_an_error(error) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(error):
        with conditions.Conditions(busy=2) as c:
            assert [p.poll() for p in c.burners] == [None, None]
            raise error()
    assert all(p.poll() is not None for p in c.burners)
    assert c.figures()["busy"] == 2 and c.wall_s >= 0
    with pytest.raises(ValueError, match="--busy takes a number of processes"):
        conditions.Conditions(busy=-1)


def test_busy_processes_stop_by_themselves_when_their_benchmark_is_killed() -> None:
    import signal
    import subprocess
    import time

    script = ("import sys, time; sys.path.insert(0, sys.argv[1]); import _conditions as c\n"
              "with c.Conditions(busy=1) as k:\n    print(k.burners[0].pid, flush=True); time.sleep(60)")
    parent = subprocess.Popen([sys.executable, "-c", script, str(BENCHMARKS)], stdout=subprocess.PIPE, text=True)
    burner = int(parent.stdout.readline())
    assert not _gone(burner)
    parent.send_signal(signal.SIGKILL)  # no cleanup runs in the parent
    parent.wait()
    deadline = time.monotonic() + 30
    while not _gone(burner) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _gone(burner)


def test_the_one_line_hook_stamps_rows_with_their_conditions(capsys) -> None:  # type: ignore[no-untyped-def]
    rows = conditions.conditioned(lambda: [{"stage": "s", "busy": 5}, {"stage": "t"}], busy=1)
    assert [r["busy"] for r in rows] == [5, 1]  # a row's own figure is kept
    assert {"load_before", "load_after", "run_cpu_s", "run_wall_s"} <= set(rows[1])
    assert "--busy 1" in capsys.readouterr().out


def test_the_parallel_backend_is_skipped_with_a_reason_when_it_is_not_installed(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import importlib.util

    analysis = _load("analysis")
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "nx_parallel" else real(name, *a))
    rows = analysis._parallel_rows(1, 1, lambda: pytest.fail("nx-parallel is not installed: nothing runs"))
    assert [r["measure"] for r in rows] == list(analysis.PATH_MEASURES)
    assert {common.seconds_text(r) for r in rows} == {
        "not measured: nx-parallel is not installed (pip install nx-parallel)"}


@pytest.mark.parametrize("module", [common, run, conditions], ids=["_common", "run", "_conditions"])
def test_the_docstring_examples_hold(module) -> None:  # type: ignore[no-untyped-def]
    assert doctest.testmod(module).failed == 0
