"""g60kg: a knowledge graph of the Yangtze River Delta G60 Science and Technology
Innovation Corridor.

>>> import g60kg
>>> kg = g60kg.open_graph("memory")
>>> report = kg.build()
>>> report.classes["City"] >= 1
True
"""

from g60kg.errors import G60Error, InputError, QueryError, StoreError, ValidationError
from g60kg.graph import BuildReport, KnowledgeGraph, ValidationReport, build, open_graph
from g60kg.loaders import TableInput, load_mapping

__all__ = ["G60Error", "InputError", "QueryError", "StoreError", "ValidationError", "BuildReport", "KnowledgeGraph",
           "ValidationReport", "build", "open_graph", "TableInput", "load_mapping"]
__version__ = "0.1.0"
