"""One writer, many readers: a second build is refused with a clear message, readers
read the last good graph while a build runs, and a build killed at any moment or out of
disk space leaves the previous graph whole. Real builds, in their own processes."""

from __future__ import annotations

import json
import random
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

from servers import g60kg_command as _cli, g60kg_env as _env

SLOW_TABLE_ROWS = 60_000  # a user table that keeps a build busy for a few seconds
KILL_TABLE_ROWS = 20_000  # enough for a build to pass through every step while it is killed


def _stats(store: Path) -> tuple[int, dict]:
    done = subprocess.run(_cli("stats", "--store", str(store), "--json"), env=_env(), capture_output=True, text=True,
                          timeout=120)
    return done.returncode, (json.loads(done.stdout) if done.returncode == 0 else {"error": done.stderr})


def _slow_input(folder: Path, rows: int = SLOW_TABLE_ROWS) -> Path:
    """A large user table (with its mapping) so that a build runs long enough to meet."""
    table = "\n".join(f"测试企业{i}号有限公司,,2019,{i},load-test" for i in range(rows))
    (folder / "firms.csv").write_text("企业名称,城市,成立日期,注册资本万元,来源\n" + table + "\n", encoding="utf-8")
    (folder / "firms.yaml").write_text(
        "table: firms.csv\nkind: entities\nfields: {name: 企业名称, source: 来源}\ndefaults: {class: Enterprise}\n"
        "properties:\n  成立日期: {property: g60:foundedIn, datatype: date}\n"
        "sources:\n  load-test: {title: 压力测试名单, language: zh}\n", encoding="utf-8")
    return folder / "firms.yaml"


@pytest.fixture
def built(built_store: Path, tmp_path: Path) -> tuple[Path, dict]:
    """A copy of the bundled store to build over, and its stats."""
    store = tmp_path / "kg.oxigraph"
    shutil.copytree(built_store, store)
    code, stats = _stats(store)
    assert code == 0, stats
    return store, stats


def _start_build(store: Path, source: Path) -> subprocess.Popen:
    return subprocess.Popen(_cli("build", "--store", str(store), str(source)), env=_env(),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _wait_for_staging(store: Path, process: subprocess.Popen) -> None:
    """Until the build holds its lock and has made its staging folder."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        if list(store.parent.glob(store.name + ".new-*")):
            return
        time.sleep(0.05)
    pytest.fail(f"the build made no staging folder: {process.poll()}")


@pytest.mark.slow
def test_a_second_build_is_refused_and_readers_see_the_last_graph(built, tmp_path: Path) -> None:
    store, before = built
    first = _start_build(store, _slow_input(tmp_path))
    try:
        _wait_for_staging(store, first)
        second = subprocess.run(_cli("build", "--store", str(store)), env=_env(), capture_output=True, text=True,
                                timeout=300)
        assert second.returncode == 1
        assert "another build is writing" in second.stderr or "open for writing in another process" in second.stderr
        assert "Traceback" not in second.stderr and "RocksDB" not in second.stderr and "LOCK" not in second.stderr
        code, during = _stats(store)
        assert code == 0 and during == before, during  # a reader during the build: the last good graph
    finally:
        _, errors = first.communicate(timeout=300)
    assert first.returncode == 0, errors
    code, after = _stats(store)
    assert code == 0 and after["classes"]["Enterprise"] >= before["classes"]["Enterprise"] + SLOW_TABLE_ROWS


@pytest.mark.slow
def test_a_build_killed_at_any_moment_leaves_a_whole_graph(built) -> None:
    store, good = built
    source = _slow_input(store.parent, KILL_TABLE_ROWS)
    started = time.monotonic()
    full = _start_build(store, source)
    full.communicate(timeout=300)
    duration = time.monotonic() - started
    assert full.returncode == 0
    code, bigger = _stats(store)
    graphs = [good, bigger]  # the two whole graphs a killed build may leave
    rng = random.Random(18)
    points = sorted(rng.uniform(0.05, duration) for _ in range(20))
    for point in points:
        process = _start_build(store, source)
        time.sleep(point)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
        code, seen = _stats(store)
        assert code == 0 and seen in graphs, (point, seen)
    final = subprocess.run(_cli("build", "--store", str(store)), env=_env(), capture_output=True, text=True, timeout=300)
    assert final.returncode == 0, final.stderr
    assert _stats(store)[1] == good
    assert not list(store.parent.glob(store.name + ".new-*")) and not store.with_name(store.name + ".old").exists()


@pytest.mark.slow
def test_a_full_disk_leaves_the_previous_graph_whole(built_store: Path, tmp_path: Path) -> None:
    mount = tmp_path / "small"
    mount.mkdir()
    try:
        subprocess.run(["mount", "-t", "tmpfs", "-o", "size=40m", "tmpfs", str(mount)], check=True, capture_output=True)
    except (OSError, subprocess.CalledProcessError) as exc:
        pytest.skip(f"cannot mount a small tmpfs here to fill ({exc}); needs root or CAP_SYS_ADMIN")
    try:
        store = mount / "kg.oxigraph"
        shutil.copytree(built_store, store)
        code, good = _stats(store)
        assert code == 0
        big = _slow_input(tmp_path)
        (tmp_path / "firms.csv").write_text((tmp_path / "firms.csv").read_text(encoding="utf-8") + "".join(
            f"测试企业{i}号有限公司,,2019,{i},load-test\n" for i in range(SLOW_TABLE_ROWS, 4 * SLOW_TABLE_ROWS)),
            encoding="utf-8")
        failed = subprocess.run(_cli("build", "--store", str(store), str(big)), env=_env(), capture_output=True,
                                text=True, timeout=600)
        assert failed.returncode == 1, "the build fitted: make the input larger"
        assert "Traceback" not in failed.stderr
        code, after = _stats(store)
        assert code == 0 and after == good
        assert not list(mount.glob("kg.oxigraph.new-*"))
    finally:
        subprocess.run(["umount", str(mount)], capture_output=True)
