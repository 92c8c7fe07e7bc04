"""g60kg: a knowledge graph of the Yangtze River Delta G60 Science and Technology
Innovation Corridor.

The public names load on first use, so ``import g60kg`` costs almost nothing.

>>> import g60kg
>>> kg = g60kg.open_graph("memory")
>>> report = kg.build()
>>> report.classes["City"] >= 1
True
"""

from typing import TYPE_CHECKING

from g60kg._lazy import exports
from g60kg._version import __version__

if TYPE_CHECKING:  # what type checkers see; at run time each name loads when first used
    from g60kg.build.builder import BuildReport
    from g60kg.errors import G60Error, InputError, QueryError, StoreError, ValidationError
    from g60kg.graph import KnowledgeGraph, open_graph
    from g60kg.loaders.mapping import TableInput, load_mapping
    from g60kg.validation.validate import ValidationReport

__all__, __getattr__, __dir__ = exports(__name__, {
    "__version__": "_version",
    "G60Error": "errors", "InputError": "errors", "QueryError": "errors", "StoreError": "errors",
    "ValidationError": "errors", "BuildReport": "build.builder",
    "KnowledgeGraph": "graph", "open_graph": "graph", "ValidationReport": "validation.validate",
    "TableInput": "loaders.mapping", "load_mapping": "loaders.mapping",
})
