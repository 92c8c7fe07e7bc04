"""Sources to RDF: tables with mappings, RDF files, city links, reviewed news tables and
provenance.
"""

from g60kg._lazy import exports

__all__, __getattr__, __dir__ = exports(__name__, {
    "Assembly": "assemble",
    "TableInput": "mapping",
    "assemble": "assemble",
    "bundled_mappings": "assemble",
    "Mapping": "mapping",
    "load_mapping": "mapping",
    "read_table": "tables",
})
