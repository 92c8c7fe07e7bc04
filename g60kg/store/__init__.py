"""Where the graph lives: embedded Oxigraph or any SPARQL 1.1 server, one interface.

``open_store`` picks the kind by location: ``memory``, a directory, or an endpoint URL.
"""

from g60kg._lazy import exports

__all__, __getattr__, __dir__ = exports(__name__, {
    "DEFAULT_STORE": "kinds",
    "open_store": "kinds",
    "Store": "embedded",
    "LocalStore": "embedded",
    "RemoteStore": "remote",
    "GRAPH_FORMATS": "formats",
    "RESULT_FORMATS": "formats",
    "serialize": "formats",
    "prebind": "prebind",
    "to_frame": "results",
    "solutions_frame": "results",
    "csv_table": "results",
    "shorten": "results",
    "shortened": "results",
    "BackgroundLoader": "loading",
    "SparqlClient": "sparql_client",
    "graph_stats": "counts",
})
