"""The endpoint's policy against SERVICE and LOAD bypasses: each query of a generated
family is either refused or, run by the real Oxigraph engine, makes no request to a
listening loopback server that records every request it gets."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from g60kg.errors import Refused
from g60kg.server.security import Policy, remote_operations
from servers import Recorder


def _escaped(word: str, every: int) -> str:
    r"""``word`` with every ``every``-th letter written as a ``\u`` escape."""
    return "".join(f"\\u{ord(c):04X}" if every and i % every == 0 else c for i, c in enumerate(word))


# Pieces a query can start with: each has fooled a text-based check (a '#' inside an
# IRI read as a comment, a quote inside a prefixed name read as a string, ...).
PREFIXES = [
    "",
    r"?s <http://e/\u0041#> ?o .",
    "?s <http://e/a#> ?o .",
    r"?s ex:a\# ?o .",
    r"?s ex:a\' ?o .",
    '?s ?p "#" .',
    "?s ?p '''\"''' .",
    "# a comment \" '\n",
    "?s ?p <http://e/'> .",
    r'?s ?p "\"" .',
    r'?s ?p "\u0022" .',
    r"?s <http://e/\u0023> ?o .",
    r"?s <http://e/\u003E ?o .",
]
WRAPPERS = ["{}", "OPTIONAL {{ {} }}", "{{ {} }} UNION {{ ?a ?b ?c }}", "MINUS {{ {} }}",
            "FILTER EXISTS {{ {} }}", "{{ SELECT * WHERE {{ {} }} }}", "GRAPH ?g {{ {} }}"]


def _service_query(prefix: str, keyword: str, silent: bool, target: str, wrapper: str) -> str:
    service = f"{keyword} {'SILENT ' if silent else ''}{target} {{ ?x ?y ?z }}"
    return "SELECT * WHERE { " + prefix + " " + wrapper.format(service) + " }"


def _runs_without_requests(query: str, internal: str, *, update: bool = False) -> bool:
    """Whether Oxigraph, running ``query`` on an empty store, sends nothing to ``internal``."""
    before = len(Recorder.hits)
    store = ox.Store()
    try:
        if update:
            store.update(query, prefixes={"ex": "http://e/"})
        else:
            list(store.query(query, prefixes={"ex": "http://e/"}) or ())
    except (SyntaxError, OSError, RuntimeError, ValueError):
        pass
    return len(Recorder.hits) == before


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(prefix=st.sampled_from(PREFIXES), escape_every=st.sampled_from([0, 1, 2, 3]),
       case=st.sampled_from([str.upper, str.lower, str.title]), silent=st.booleans(),
       variable=st.booleans(), wrapper=st.sampled_from(WRAPPERS))
def test_no_generated_query_reaches_another_host(internal: str, prefix: str, escape_every: int, case, silent: bool,
                                                 variable: bool, wrapper: str) -> None:
    target = "?endpoint" if variable else f"<{internal}>"
    query = _service_query(prefix, _escaped(case("service"), escape_every), silent, target, wrapper)
    if variable:
        query = query.replace("SELECT * WHERE { ", f"SELECT * WHERE {{ BIND(<{internal}> AS ?endpoint) ", 1)
    try:
        Policy().check_query(query)
    except Refused as refused:
        assert refused.status in (400, 403)
        return
    assert _runs_without_requests(query, internal), f"let through: {query}"


@pytest.mark.parametrize("query", [
    r"SELECT * WHERE { ?s <http://e/\u0041#> ?o . SERVICE SILENT <{internal}> { ?x ?y ?z } }",
    r"SELECT * WHERE { ?s <http://e/\u0041#> ?o . SERVICE <{internal}> { ?x ?y ?z } }",
    r"SELECT * WHERE { SERVI\u0043E <{internal}> { ?x ?y ?z } }",
    "SELECT * WHERE { SERVICE SILENT <{internal}> { ?x ?y ?z } }",
    "SELECT * WHERE { ?s ?p ?o OPTIONAL { SERVICE <{internal}> { ?x ?y ?z } } }",
    "ASK { FILTER EXISTS { SERVICE <{internal}> { ?x ?y ?z } } }",
    "CONSTRUCT { ?x ?y ?z } WHERE { { SELECT * { SERVICE <{internal}> { ?x ?y ?z } } } }",
])
def test_the_known_bypasses_are_refused_and_would_have_reached_the_host(internal: str, query: str) -> None:
    query = query.replace("{internal}", internal)
    with pytest.raises(Refused) as refused:
        Policy().check_query(query)
    assert refused.value.status in (400, 403)
    if refused.value.status == 403:
        assert "SERVICE" in str(refused.value)


@pytest.mark.parametrize("update", [
    "LOAD <{internal}>",
    "load silent <{internal}> into graph <http://e/g>",
    r"INSERT DATA { <http://e/\u0041#> <http://e/p> 1 } ; LOAD <{internal}>",
    "INSERT { ?x ?y ?z } WHERE { SERVICE <{internal}> { ?x ?y ?z } }",
    r"LO\u0041D <{internal}>",
])
def test_load_and_service_in_updates_are_refused_even_with_the_token(internal: str, update: str) -> None:
    update = update.replace("{internal}", internal)
    if "\\u" not in update:  # Oxigraph reads no escape outside IRIs and strings
        assert not _runs_without_requests(update, internal, update=True)  # the engine would fetch
    with pytest.raises(Refused) as refused:
        Policy(allow_update=True, token="t").check_update(update, "Bearer t")
    assert refused.value.status in (400, 403)


@pytest.mark.parametrize("text, update, found", [
    ("SELECT ?SERVICE WHERE { ?s ex:SERVICE ?service . ?s ex:LOAD $load }", False, ()),
    ('SELECT * WHERE { ?s ?p "SERVICE <http://e/> { ?a ?b ?c }" } # SERVICE <http://e/>', False, ()),
    ("SELECT * WHERE {\n  service <http://example.org/sparql> { ?s ?p ?o } }", False,
     ("SERVICE <http://example.org/sparql> at line 2, column 3",)),
    ("SELECT * WHERE { ?s ?p ?o . SERVICE ?endpoint { ?x ?y ?z } }", False, ("SERVICE ?endpoint at line 1, column 29",)),
    ('INSERT DATA { <http://e/a> <http://e/b> """\nLOAD <x>""" } ;\nload silent <http://example.org/x>', True,
     ("LOAD <http://example.org/x> at line 3, column 1",)),
    ("SELECT * WHERE { ?s ?p <http://example.org/SERVICE> FILTER(?p < ?s) SERVICE <http://e/> {} }", False,
     ("SERVICE <http://e/> at line 1, column 69",)),
])
def test_remote_operations_reads_the_parse_tree(text: str, update: bool, found: tuple[str, ...]) -> None:
    assert remote_operations(text, update=update) == found


def test_words_in_strings_and_names_do_not_refuse_a_query() -> None:
    Policy().check_query('SELECT ?service WHERE { ?s ?p "LOAD and SERVICE" ; <http://e/service> ?load }')
    Policy(allow_service=True).check_query("SELECT * WHERE { SERVICE <http://e/> { ?s ?p ?o } }")
