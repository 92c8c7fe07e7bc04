"""The query page at ``/``: one HTML file, its script and its style sheet, all shipped in
the package (no CDN, no third-party bundle), with the catalog and the server's limits
written into the page so it makes no request before the user runs a query."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any, Mapping

from g60kg.queries import NamedQuery

__all__ = ["page_html", "static_file", "catalog_json", "STATIC_TYPES"]

STATIC_TYPES = {"page.js": "text/javascript; charset=utf-8", "page.css": "text/css; charset=utf-8"}


def _read(name: str) -> bytes:
    return resources.files("g60kg.server").joinpath("static", name).read_bytes()


def static_file(name: str) -> bytes | None:
    """The bytes of one of the page's files (``page.js``, ``page.css``), or None.

    >>> static_file("page.css")[:2]
    b'/*'
    >>> static_file("../worker.py") is None
    True
    """
    return _read(name) if name in STATIC_TYPES else None


def _catalog_entry(query: NamedQuery) -> dict[str, Any]:
    return {"name": query.name, "title_zh": query.title_zh, "title_en": query.title_en,
            "description_zh": query.description_zh, "description_en": query.description_en, "text": query.text,
            "parameters": [{"name": p.name, "type": p.type, "default": p.default, "example": p.example,
                            "description_zh": p.description_zh, "description_en": p.description_en}
                           for p in query.parameters]}


def catalog_json(queries: Mapping[str, NamedQuery]) -> list[dict[str, Any]]:
    """The catalog as JSON-ready dicts, as ``/queries`` serves it and the page shows it.

    >>> catalog_json({})
    []
    """
    return [_catalog_entry(q) for q in queries.values()]


def page_html(queries: Mapping[str, NamedQuery], settings: Mapping[str, Any]) -> bytes:
    """The page, with the catalog and ``settings`` (prefixes, limits) embedded as JSON.

    >>> b"</script><script" not in page_html({}, {"note": "</script><script>"})
    True
    """
    config = json.dumps({"queries": catalog_json(queries), **settings}, ensure_ascii=False)
    config = config.replace("<", "\\u003c")  # nothing in the JSON can close the script element
    return _read("page.html").replace(b"{{CONFIG}}", config.encode("utf-8"))
