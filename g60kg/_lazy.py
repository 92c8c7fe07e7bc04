"""Public names of a package, imported from their modules when first asked for.

A package's ``__init__`` states its public names and the module each lives in; nothing
is imported until a name is used, so ``import g60kg`` and ``g60kg --help`` load no
pandas, store, analysis or page module.
"""

from __future__ import annotations

import importlib
import sys
from typing import Any, Callable

__all__ = ["exports"]


def exports(package: str, names: dict[str, str]) -> tuple[list[str], Callable[[str], Any], Callable[[], list[str]]]:
    """``__all__``, ``__getattr__`` and ``__dir__`` for ``package``, whose public
    names map to the submodule (relative to the package) that defines each.

    >>> public, getattr_, _ = exports("g60kg.text", {"name_key": "normalize"})
    >>> public, getattr_("name_key")("KUKA Robotics Co., Ltd.")
    (['name_key'], 'kukarobotics')
    """

    def __getattr__(name: str) -> Any:
        module = names.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        imported = importlib.import_module(f"{package}.{module}")
        # Importing the submodule binds its name in the package; a public name that is
        # also a submodule's (queries.catalog) is bound again to what it stands for.
        for public in (n for n, m in names.items() if m == module):
            setattr(sys.modules[package], public, getattr(imported, public))
        return getattr(imported, name)

    def __dir__() -> list[str]:
        return sorted(names)

    return sorted(names), __getattr__, __dir__
