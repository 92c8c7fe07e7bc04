"""Named SPARQL queries: ``*.rq`` files with a header (titles, description, typed
parameters) and the catalog that reads them."""

from g60kg.queries.catalog import NamedQuery, Parameter, catalog, catalog_table, named_query

__all__ = ["NamedQuery", "Parameter", "catalog", "catalog_table", "named_query"]
