"""Building a store from sources: the bundled data and users' files, loaded in bulk,
shared facts moved to shared graphs, the containment index written, validated, then
swapped in.
"""

from g60kg._lazy import exports

__all__, __getattr__, __dir__ = exports(__name__, {
    "BuildReport": "builder",
    "build": "builder",
    "ontology_nquads": "builder",
    "remove_source": "sharing",
    "registry": "sharing",
    "share": "sharing",
    "write_within": "within",
})
