"""Shared fixtures: the bundled graph built once in memory, and a user's table factory."""

from __future__ import annotations

import http.server
import shutil
import subprocess
import threading
from pathlib import Path
from textwrap import dedent
from typing import Iterator

import httpx
import pytest
from hypothesis import settings

import g60kg
from servers import MAX_ROWS, ROOMY, Recorder, g60kg_command, g60kg_env, serve

# Properties are checked for what they find, never for how long an example takes: a busy
# machine must not fail them.
settings.register_profile("g60kg", deadline=None)
settings.load_profile("g60kg")

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


# Fixtures that start a real browser, or build the bundled data on disk for a real server
# or build process: a test that needs one is slow.
SLOW_FIXTURES = {"browser", "built_store"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test that drives a real browser or a store built on disk (for a server or a
    build in another process) is slow: ``pytest -m "not slow"`` leaves it out."""
    for item in items:
        if SLOW_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def shared() -> Path:
    """The project's shared folder beside the clone (seed article, gold annotations,
    news-dev corpus). CI has it; a user's clone does not, and the tests that read it
    skip, saying so."""
    if not SHARED.is_dir():
        pytest.skip(f"needs the shared folder at {SHARED.name}/ beside the clone (CI has it; a user's clone does not)")
    return SHARED


@pytest.fixture(scope="session")
def bundled() -> g60kg.KnowledgeGraph:
    """The bundled corridor data, built once into an in-memory store."""
    kg = g60kg.open_graph("memory")
    kg.build()
    return kg


USER_MAPPING = dedent("""\
    table: firms.csv
    kind: entities
    fields: {name: 企业名称, source: 来源}
    defaults: {class: Enterprise}
    properties:
      城市: {property: g60:locatedIn, ref: place}
      成立日期: {property: g60:foundedIn, datatype: date}
      注册资本万元: {property: g60:registeredCapital, datatype: decimal}
    sources:
      my-list: {title: 我的企业名单, publisher: 测试, language: zh}
    """)


@pytest.fixture
def user_table(tmp_path: Path):
    """Write a user's firm list (CSV text, encoding) and its mapping; returns the mapping path."""

    def make(rows: str, *, encoding: str = "utf-8", mapping: str = USER_MAPPING,
             header: str = "企业名称,城市,成立日期,注册资本万元,来源") -> Path:
        (tmp_path / "firms.csv").write_bytes((header + "\n" + dedent(rows)).encode(encoding))
        path = tmp_path / "firms.yaml"
        path.write_text(mapping, encoding="utf-8")
        return path

    return make


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """A real headless Chromium (Debian's, driven by playwright), shared by a module's page
    tests. Stopped after each module: while playwright runs, its event loop holds the
    thread, and code run later in the same process (the endpoint's doctests) could not
    start one."""
    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail("chromium is not installed; install the test system packages with: bash scripts/install-system.sh")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def internal() -> Iterator[str]:
    """A loopback HTTP server standing for an internal host (``Recorder.hits`` lists
    what it was asked); its URL."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


# --- the bundled data in a store directory, and ``g60kg serve`` over it -------------------
@pytest.fixture(scope="session")
def built_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled data built once by ``g60kg build`` into a store directory. Tests read
    it; a test that writes works on its own copy."""
    store = tmp_path_factory.mktemp("served") / "kg.oxigraph"
    subprocess.run(g60kg_command("build", "--store", str(store)), env=g60kg_env(), check=True, capture_output=True)
    return store


@pytest.fixture(scope="session")
def server(built_store: Path) -> Iterator[str]:
    """A read-only ``g60kg serve`` over :func:`built_store` with a small row limit and a
    time limit no busy machine reaches on the bundled graph; yields its base URL."""
    yield from serve(built_store, "--timeout", str(ROOMY), "--max-rows", str(MAX_ROWS))


@pytest.fixture(scope="session")
def client() -> Iterator[httpx.Client]:
    """An HTTP client for the servers of the tests."""
    with httpx.Client(timeout=30) as http:
        yield http
