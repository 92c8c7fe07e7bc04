"""One build at a time per store directory: a lock file beside it (``NAME.lock``),
held with ``flock`` for as long as a build runs, so the kernel releases it when the
build's process ends, however it ends."""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

from g60kg.errors import StoreError

__all__ = ["BuildLock"]


class BuildLock:
    """The lock of the store directory ``path``, taken at once or refused.

    >>> import tempfile
    >>> store = Path(tempfile.mkdtemp()) / "kg.oxigraph"
    >>> first = BuildLock(store)
    >>> BuildLock(store)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    g60kg.errors.StoreError: another build is writing .../kg.oxigraph (process ...); wait until it ends, then build again
    >>> first.release(); BuildLock(store).release()
    """

    def __init__(self, path: Path) -> None:
        self.path = path.with_name(path.name + ".lock")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._fd: int | None = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(self._fd, 32, 0).decode("ascii", "replace").strip() or "unknown"
            os.close(self._fd)
            self._fd = None
            raise StoreError(f"another build is writing {path} (process {holder}); wait until it ends, "
                             "then build again") from None
        os.ftruncate(self._fd, 0)
        os.pwrite(self._fd, f"{os.getpid()}\n".encode("ascii"), 0)

    @staticmethod
    def held(path: Path) -> bool:
        """Whether a build holds the lock of ``path`` now."""
        lock = path.with_name(path.name + ".lock")
        if not lock.exists():
            return False
        fd = os.open(lock, os.O_RDONLY)
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        finally:
            os.close(fd)  # closing releases a shared lock taken just to look
        return False

    def release(self) -> None:
        """Let the next build in (closing the file releases the lock)."""
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
