"""Reading an input file whole, within a size limit: a directory, a device such as
``/dev/zero`` or a file past the limit is a located error before any byte is parsed."""

from __future__ import annotations

import stat
from pathlib import Path

from g60kg.errors import InputError, Location

__all__ = ["LIMITS", "read_bounded"]

# Most bytes read from one input of each kind; a larger one is refused with its size.
LIMITS = {"table": 1 << 30, "mapping": 1 << 20, "rdf": 1 << 30}


def read_bounded(path: Path, kind: str) -> bytes:
    """The bytes of the regular file ``path``, at most ``LIMITS[kind]`` of them.

    >>> import tempfile
    >>> read_bounded(Path(tempfile.mkdtemp()), "table")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    g60kg.errors.InputError: ...: expected a table file, found a directory
    >>> read_bounded(Path("/dev/zero"), "mapping")
    Traceback (most recent call last):
    g60kg.errors.InputError: /dev/zero: expected a mapping file, found a character device
    """
    limit = LIMITS[kind]
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise InputError(Location(str(path)), "file not found") from None
    except OSError as exc:
        raise InputError(Location(str(path)), f"cannot read: {exc.strerror or exc}") from exc
    if not stat.S_ISREG(mode):
        found = next((name for test, name in ((stat.S_ISDIR, "a directory"), (stat.S_ISCHR, "a character device"),
                                               (stat.S_ISBLK, "a block device"), (stat.S_ISFIFO, "a pipe"),
                                               (stat.S_ISSOCK, "a socket")) if test(mode)), "no regular file")
        raise InputError(Location(str(path)), f"expected a {kind} file, found {found}")
    try:
        with path.open("rb") as handle:
            data = handle.read(limit + 1)  # a file that grows while read is cut here too
    except OSError as exc:
        raise InputError(Location(str(path)), f"cannot read: {exc.strerror or exc}") from exc
    if len(data) > limit:
        raise InputError(Location(str(path)), f"the {kind} file is larger than {limit >> 20} MiB, the most g60kg reads "
                                              "of one; split it")
    if not data:
        raise InputError(Location(str(path)), f"the {kind} file is empty")
    return data
