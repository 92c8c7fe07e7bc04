from g60kg.ontology.terms import (
    G60,
    GRAPH,
    ID,
    PREFIXES,
    SCHEMA,
    SECTOR,
    SOURCE,
    ontology_path,
    sectors_path,
    shapes_path,
)

__all__ = [
    "G60",
    "GRAPH",
    "ID",
    "PREFIXES",
    "SCHEMA",
    "SECTOR",
    "SOURCE",
    "ontology_path",
    "sectors_path",
    "shapes_path",
]
