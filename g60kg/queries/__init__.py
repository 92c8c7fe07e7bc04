"""Named SPARQL queries: ``*.rq`` files with a header (titles, description, typed
parameters) and the catalog that reads them.
"""

from g60kg._lazy import exports

__all__, __getattr__, __dir__ = exports(__name__, {
    "NamedQuery": "catalog",
    "Parameter": "catalog",
    "catalog": "catalog",
    "catalog_table": "catalog",
    "named_query": "catalog",
})
