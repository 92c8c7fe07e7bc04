"""The g60kg vocabulary: namespaces, the closed ``G60`` term list and the ontology files."""

from g60kg.ontology.terms import *  # noqa: F403 - the public names are terms.__all__
from g60kg.ontology.terms import __all__  # noqa: F401
