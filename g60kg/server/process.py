"""``g60kg serve`` (or another HTTP server) in a process of its own, for a script, a
notebook or a benchmark that needs a running endpoint beside it: the command line, a
free port, the wait until it answers, and the stop.

The child runs this very copy of g60kg (its folder goes first on the child's
``PYTHONPATH``), whether it is installed or a checkout.
"""

from __future__ import annotations

import os
import select
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Mapping

from g60kg.errors import StoreError

__all__ = ["g60kg_command", "g60kg_env", "free_port", "wait_until_answered", "serve_in_child", "stop"]

_HOME = Path(__file__).resolve().parents[2]  # the folder that holds the g60kg package


def g60kg_command(*args: str) -> list[str]:
    """The command line that runs ``g60kg ARGS`` in a new interpreter like this one.

    >>> g60kg_command("stats")[-1]
    'stats'
    """
    return [sys.executable, "-c", "import sys; from g60kg.cli import main; sys.exit(main())", *args]


def g60kg_env(**extra: str) -> dict[str, str]:
    """This process's environment with this copy of g60kg first on ``PYTHONPATH``, plus
    ``extra``.

    >>> import g60kg
    >>> g60kg_env(G60KG_TOKEN="t")["PYTHONPATH"].split(os.pathsep)[0] == str(Path(g60kg.__file__).parents[1])
    True
    """
    path = [str(_HOME), os.environ.get("PYTHONPATH", "")]
    return {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in path if p), **extra}


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port nothing listens on at the moment.

    >>> 0 < free_port() < 65536
    True
    """
    with socket.socket() as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def wait_until_answered(url: str, process: subprocess.Popen, what: str, *, seconds: float = 60.0) -> None:
    """Ask ``url`` until it answers; raise ``StoreError`` naming ``what`` when ``process``
    exits first or ``seconds`` pass (``process`` is then killed).

    >>> import sys
    >>> quitter = subprocess.Popen([sys.executable, "-c", "pass"])
    >>> wait_until_answered(f"http://127.0.0.1:{free_port()}/", quitter, "a server that quits")
    Traceback (most recent call last):
    g60kg.errors.StoreError: a server that quits did not start (it exited with 0)
    """
    deadline = time.monotonic() + seconds
    while True:
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return
        except OSError:
            if process.poll() is not None:
                raise StoreError(f"{what} did not start (it exited with {process.returncode})") from None
            if time.monotonic() > deadline:
                stop(process, grace=0)
                raise StoreError(f"{what} did not answer at {url} within {seconds:g} s") from None
            time.sleep(0.1)


def serve_in_child(store: str | Path, *args: str, env: Mapping[str, str] | None = None,
                   seconds: float = 60.0) -> tuple[subprocess.Popen, str]:
    """Start ``g60kg serve --store STORE --port 0 ARGS`` and return its process and base
    URL (``http://127.0.0.1:PORT``), read from the line it prints once it listens;
    ``StoreError``, with what it said, when it does not start within ``seconds``.

    >>> import tempfile, pyoxigraph as ox, urllib.request
    >>> folder = tempfile.mkdtemp(); ox.Store(folder).flush()
    >>> process, url = serve_in_child(folder, "--quiet", "--workers", "1")
    >>> urllib.request.urlopen(url + "/sparql?query=ASK%7B%7D&format=csv").read()
    b'true'
    >>> stop(process)
    """
    with tempfile.TemporaryFile() as said:  # not a pipe: an access log never fills it and stops the server
        process = subprocess.Popen(g60kg_command("serve", "--store", str(store), "--port", "0", *args),
                                   env=dict(env) if env is not None else g60kg_env(), stdout=subprocess.PIPE,
                                   stderr=said, text=True)
        ready, _, _ = select.select([process.stdout], [], [], seconds)
        line = process.stdout.readline() if ready else ""  # type: ignore[union-attr]
        if "http://" not in line:
            stop(process, grace=0)
            said.seek(0)
            words = f"{line.strip()} {said.read()[-1000:].decode('utf-8', 'replace').strip()}".strip()
            raise StoreError(f"g60kg serve did not start: {words}")
    return process, line.split(" at ", 1)[1].split("/ ", 1)[0]


def stop(process: subprocess.Popen, *, grace: float = 30.0) -> None:
    """Ask ``process`` to end (``SIGTERM``), kill it after ``grace`` seconds, and wait.

    >>> import sys
    >>> sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    >>> stop(sleeper); sleeper.returncode != 0
    True
    """
    process.terminate()
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    if process.stdout is not None:
        process.stdout.close()
