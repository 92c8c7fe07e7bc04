"""Doctest collection: a module whose examples need an optional extra is left out,
saying so, when that extra is not installed (``pip install -e '.[test]'`` has them all)."""

from __future__ import annotations

import importlib.util

import pytest

# module (as a path from the repository root) -> (the import its examples need, the extra)
_EXTRAS = {
    "g60kg/news/extraction.py": ("jieba", "text"),
    "g60kg/news/lists.py": ("jieba", "text"),
    "g60kg/news/tagger.py": ("jieba", "text"),
    "g60kg/analysis/centrality_igraph.py": ("igraph", "fast"),
    "g60kg/viz/layout.py": ("igraph", "fast"),
}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    missing = {path: extra for path, (module, extra) in _EXTRAS.items() if importlib.util.find_spec(module) is None}
    for item in items:
        path = item.path.relative_to(config.rootpath).as_posix() if item.path.is_relative_to(config.rootpath) else ""
        if isinstance(item, pytest.DoctestItem) and path in missing:
            item.add_marker(pytest.mark.skip(reason=f"needs the '{missing[path]}' extra: pip install 'g60kg[{missing[path]}]'"))
