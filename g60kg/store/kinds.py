"""Opening a store by its location: ``memory``, a directory (embedded Oxigraph,
persistent) or a SPARQL 1.1 endpoint URL.

Each kind's module is imported when a store of that kind is opened, so naming a
location (the CLI's defaults) costs nothing.
"""

from __future__ import annotations

import weakref
from pathlib import Path
from typing import TYPE_CHECKING

from g60kg.errors import StoreError

if TYPE_CHECKING:
    from g60kg.store.embedded import LocalStore, Store

__all__ = ["DEFAULT_STORE", "open_store"]

DEFAULT_STORE = "out/g60kg.oxigraph"

_OPEN: "weakref.WeakValueDictionary[tuple[Path, bool], LocalStore]" = weakref.WeakValueDictionary()


def open_store(location: str | Path = "memory", *, create: bool = True, **options: str) -> Store:
    """Open a store by location: ``memory``, a directory path, or an ``http(s)://``
    SPARQL endpoint (options: ``update_url``, ``user``, ``password``). Opening the same
    directory twice in one process gives the same store. ``create=False`` refuses a
    directory that holds no store yet (a read-only command given a mistyped path) and
    opens it read-only, so it reads while a build runs and never waits for one.

    >>> open_store("memory").location
    'memory'
    >>> open_store("no/such/store", create=False)
    Traceback (most recent call last):
    g60kg.errors.StoreError: no graph at no/such/store: build one there first (g60kg build --store no/such/store)
    """
    text = str(location)
    if text == "memory":
        from g60kg.store.embedded import LocalStore

        return LocalStore(None)
    if text.startswith(("http://", "https://")):
        from g60kg.store.remote import RemoteStore

        return RemoteStore(text, **options)
    from g60kg.store.embedded import LocalStore

    path = Path(text).resolve()
    if not create and not path.is_dir():
        raise StoreError(f"no graph at {text}: build one there first (g60kg build --store {text})")
    store = _OPEN.get((path, not create)) or (_OPEN.get((path, False)) if not create else None)
    if store is None:
        # Oxigraph locks a directory per process: share one store per directory.
        store = _OPEN[(path, not create)] = LocalStore(path, read_only=not create)
    return store
