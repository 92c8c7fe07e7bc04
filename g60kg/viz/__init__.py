"""Interactive pages of the graph: vis-network, offline, with a legend, filters and search.
"""

from g60kg._lazy import exports

__all__, __getattr__, __dir__ = exports(__name__, {
    "remote_urls": "assets",
    "SIZE_MEASURES": "page",
    "Page": "page",
    "graph_page": "page",
    "VIEWS": "views",
    "view_graph": "views",
    "visualize": "views",
})
