"""The SPARQL endpoint ``g60kg serve``: SPARQL 1.1 Protocol, the named queries as HTTP
calls with an OpenAPI document, and an offline query page."""

from g60kg.server.app import Endpoint, make_server
from g60kg.server.security import Policy, Refused

__all__ = ["Endpoint", "make_server", "Policy", "Refused"]
