"""The SPARQL endpoint ``g60kg serve``: SPARQL 1.1 Protocol, the named queries as HTTP
calls with an OpenAPI document, and an offline query page.
"""

from g60kg._lazy import exports

__all__, __getattr__, __dir__ = exports(__name__, {
    "Endpoint": "endpoint",
    "Limits": "limits",
    "make_app": "app",
    "make_server": "listener",
    "Policy": "security",
    "host_names": "security",
})
