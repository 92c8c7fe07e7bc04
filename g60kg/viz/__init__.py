"""Interactive pages of the graph: vis-network, offline, with a legend, filters and search."""

from g60kg.viz.assets import remote_urls
from g60kg.viz.page import SIZE_MEASURES, Page, graph_page
from g60kg.viz.views import VIEWS, view_graph, visualize

__all__ = ["remote_urls", "SIZE_MEASURES", "Page", "graph_page", "VIEWS", "view_graph", "visualize"]
