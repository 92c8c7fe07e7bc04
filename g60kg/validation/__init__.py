"""SHACL validation of a store, run as SPARQL in the store itself.
"""

from g60kg._lazy import exports

__all__, __getattr__, __dir__ = exports(__name__, {
    "ValidationReport": "validate",
    "validate_store": "validate",
    "validate_graph": "validate",
    "Constraint": "shacl",
    "compile_shapes": "shacl",
    "violations": "shacl",
})
