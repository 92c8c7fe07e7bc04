"""Projections of the graph into networkx graphs: the entity graph, the city layers and
the role layers of the two-mode city × mechanism graph.
"""

from g60kg._lazy import exports

__all__, __getattr__, __dir__ = exports(__name__, {
    "Queryable": "projection",
    "projection_query": "projection",
    "entity_graph": "entities",
    "entity_table": "entities",
    "LAYERS": "cities",
    "NETWORKS": "cities",
    "RESOLUTIONS": "cities",
    "CityEvidence": "cities",
    "city_evidence": "cities",
    "city_layers": "cities",
    "city_map": "cities",
    "city_network": "cities",
    "tie_table": "cities",
    "ROLE_LAYERS": "roles",
    "RoleEvidence": "roles_evidence",
    "role_evidence": "roles_evidence",
    "role_table": "roles",
    "role_layers": "roles",
    "origin": "roles_evidence",
})
