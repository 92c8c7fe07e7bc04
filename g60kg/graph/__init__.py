"""Stores, the build, validation and the knowledge-graph object."""

from g60kg.graph.build import BuildReport, build
from g60kg.graph.knowledge_graph import DEFAULT_STORE, KnowledgeGraph, open_graph
from g60kg.graph.store import Store, open_store
from g60kg.graph.validate import ValidationReport, validate_store

__all__ = ["BuildReport", "build", "DEFAULT_STORE", "KnowledgeGraph", "open_graph", "Store", "open_store",
           "ValidationReport", "validate_store"]
