"""The build end to end: the bundled data, determinism, provenance, atomic swaps, stores."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

import g60kg
from g60kg.errors import InputError, ValidationError
from g60kg.store import LocalStore, open_store

SONGJIANG = "<https://w3id.org/g60kg/id/place/songjiang>"


def test_bundled_data_builds_without_skipped_rows_and_conforms(bundled: g60kg.KnowledgeGraph) -> None:
    report = g60kg.open_graph("memory").build()
    assert report.issues == []
    assert report.validation is not None and report.validation.conforms
    assert report.classes["City"] == 9 and report.classes["Province"] == 3
    assert report.sources > 50


def test_same_input_twice_gives_byte_identical_sorted_nquads(tmp_path: Path) -> None:
    first = g60kg.open_graph(tmp_path / "a")
    first.build()
    second = g60kg.open_graph("memory")
    second.build()
    assert first.export("nq") == second.export("nq")
    assert b"_:" not in first.export("nq"), "no blank nodes: their labels would change between builds"


def test_songjiang_aliases_resolve_to_one_iri(bundled: g60kg.KnowledgeGraph) -> None:
    keys = set(bundled.query(f"SELECT ?k WHERE {{ {SONGJIANG} g60:nameKey ?k }}")["k"])
    assert {"松江", "松江区", "上海松江", "上海市松江区", "songjiang"} <= keys


def test_a_relation_knows_who_says_so_and_in_which_words(bundled: g60kg.KnowledgeGraph) -> None:
    rows = bundled.query(f"""
        SELECT ?quote ?title WHERE {{
          ?st rdf:subject {SONGJIANG} ; rdf:predicate g60:centralNodeOf ;
              g60:quote ?quote ; prov:wasDerivedFrom ?src ; g60:method "curated" .
          ?src dcterms:title ?title .
        }}""")
    assert len(rows) >= 1
    assert all("中心节点" in q for q in rows["quote"])


def test_facts_live_in_the_graph_of_their_source(bundled: g60kg.KnowledgeGraph) -> None:
    wrong = bundled.query("""
        SELECT ?st ?g ?src WHERE {
          GRAPH ?g { ?st a g60:Statement ; prov:wasDerivedFrom ?src }
          FILTER(STRAFTER(STR(?g), "/graph/") != STRAFTER(STR(?src), "/source/"))
        }""")
    assert wrong.empty


def test_observations_are_typed_numbers(bundled: g60kg.KnowledgeGraph) -> None:
    rows = bundled.query("""
        SELECT ?v WHERE { ?o a g60:Observation ; g60:quote ?q ; g60:value ?v FILTER(CONTAINS(?q, "1.1亿亿")) }""")
    assert rows["v"].tolist() == [1.1e16]


def test_a_failed_validation_leaves_the_previous_graph(tmp_path: Path) -> None:
    store = tmp_path / "store"
    kg = g60kg.open_graph(store)
    kg.build()
    before = kg.export("nq")
    broken = tmp_path / "broken.ttl"
    broken.write_text("<https://w3id.org/g60kg/id/obs/x> a <https://w3id.org/g60kg/ontology#Observation> .\n")
    with pytest.raises(ValidationError, match="does not conform"):
        kg.build([broken], strict=True)
    assert kg.export("nq") == before
    assert not list(tmp_path.glob("store.new-*")), "the staging store was removed"


def test_malformed_rdf_names_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix e: <http://e/> .\ne:a e:b e:c .\ne:d e:e .\n")
    with pytest.raises(InputError, match=r"bad.ttl:3"):
        g60kg.open_graph("memory").build([bad])


@pytest.mark.parametrize("suffix, text", [
    (".ttl", "@prefix e: <http://e/> . e:a e:b [ e:c 1 ] ."),
    (".nt", "<http://e/a> <http://e/b> \"c\" .\n"),
    (".nq", "<http://e/a> <http://e/b> \"c\" <http://e/g> .\n"),
    (".trig", "@prefix e: <http://e/> . e:g { e:a e:b e:c . }"),
    (".jsonld", '{"@id": "http://e/a", "http://e/b": "c"}'),
])
def test_rdf_files_load_into_a_graph_of_their_own(tmp_path: Path, suffix: str, text: str) -> None:
    path = tmp_path / f"extra{suffix}"
    path.write_text(text)
    kg = g60kg.open_graph("memory")
    kg.build([path], bundled=False)
    graphs = kg.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { <http://e/a> ?p ?o } }")["g"].tolist()
    assert graphs == ["g60graph:file-extra"]
    titles = kg.query("SELECT ?t WHERE { g60src:file-extra dcterms:title ?t }")["t"].tolist()
    assert titles == [f"extra{suffix}"]


def test_interrupted_swap_is_recovered(tmp_path: Path) -> None:
    path = tmp_path / "store"
    LocalStore(path).load(b'<http://e/a> <http://e/b> "c" <http://e/g> .\n')
    os.replace(path, path.with_name("store.old"))  # as if stopped between the two renames
    (tmp_path / "store.new-dead").mkdir()
    recovered = LocalStore(path)
    assert len(recovered) == 1
    assert not (tmp_path / "store.new-dead").exists()


def test_directory_store_persists_and_is_shared_within_a_process(tmp_path: Path) -> None:
    kg = g60kg.open_graph(tmp_path / "s")
    kg.build()
    assert open_store(tmp_path / "s") is kg.store
    triples = kg.stats()["triples"]
    assert triples > 5000
    assert len(list((tmp_path / "s").iterdir())) > 0


def test_rdflib_view_sees_the_same_graph(bundled: g60kg.KnowledgeGraph) -> None:
    dataset = bundled.dataset
    rows = list(dataset.query(
        "SELECT ?n WHERE { GRAPH ?g { <https://w3id.org/g60kg/id/place/hefei> "
        "<http://www.w3.org/2000/01/rdf-schema#label> ?n } }"))
    assert {str(r.n) for r in rows} >= {"合肥市"}


def test_query_syntax_error_names_line_and_column(bundled: g60kg.KnowledgeGraph) -> None:
    with pytest.raises(g60kg.QueryError, match=r"line 4, column"):
        bundled.query("SELECT ?x WHERE {\n  ?x a g60:City .\n  ?x ?y\n}")


def test_chunks_loaded_on_several_threads_all_land_and_a_bad_one_fails_the_load(tmp_path: Path) -> None:
    from g60kg.store.loading import BackgroundLoader

    store = LocalStore(tmp_path / "s")
    assert store.load_threads >= 2
    store.load_batch = 200_000  # chunks of about 44 kB: a batch joins five of them
    loads: list[tuple[int, str]] = []
    load = store.load
    store.load = lambda nquads: (loads.append((len(nquads), threading.current_thread().name)), load(nquads))[1]
    lines = [f'<http://e/s{n}> <http://e/p> "{n}" <http://e/g{n % 7}> .\n' for n in range(30_000)]
    with BackgroundLoader(store) as sink:
        for start in range(0, len(lines), 1_000):
            sink("".join(lines[start:start + 1_000]).encode())
    assert len(store) == 30_000
    assert sum(size for size, _ in loads) == sum(map(len, map(str.encode, lines)))
    assert sum(size < 200_000 for size, _ in loads) <= 1 and 1 < len(loads) < 30  # the last may be smaller
    assert {name for _, name in loads} <= {f"g60kg-loader-{n}" for n in range(store.load_threads)}
    with pytest.raises(SyntaxError, match="unterminated|end of file|line"):
        with BackgroundLoader(store) as sink:
            sink(b'<http://e/x> <http://e/p> "ok" .\n')
            sink(b'<http://e/x> <http://e/p> "unterminated .\n')
            for n in range(20):
                sink(f'<http://e/y{n}> <http://e/p> "later" .\n'.encode())
