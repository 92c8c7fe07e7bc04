"""The ``cities`` map: the coordination roles of the analysis as arrows between members."""

from __future__ import annotations

from pathlib import Path

import pytest

import g60kg
from g60kg.network.roles import role_layers, role_table
from g60kg.network.roles_evidence import role_evidence
from g60kg.viz import view_graph
from pages import open_page


@pytest.fixture(scope="module")
def cities_page(bundled: g60kg.KnowledgeGraph, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return bundled.visualize("cities", lang="en", path=tmp_path_factory.mktemp("map") / "cities.html")


def test_role_arrows_point_to_the_host_seat_or_lead(bundled: g60kg.KnowledgeGraph, browser: object,
                                                    cities_page: Path) -> None:
    members = view_graph(bundled, "cities").nodes
    roles = role_layers(role_table(role_evidence(bundled)), list(members))
    expected = sorted([u, v, layer] for layer, graph in roles.items() for u, v in graph.edges())
    assert len(expected) > 9
    opened = open_page(browser, cities_page)
    arrows = opened.js("g60.edges.get().filter(e => e.arrows).map(e => [e.from, e.to, e.layer])")
    assert sorted(arrows) == expected  # each arc drawn once, towards the distinguished city
    into = {v: 0.0 for v in members}
    for u, v, w in roles["coordination"].edges(data="weight"):
        into[v] += w
    hub = max(into, key=into.get)
    edge = opened.js("to => g60.edges.get().find(e => e.layer === 'coordination' && e.to === to).id", hub)
    opened.js("id => { g60.network.body.emitter.emit('click', {nodes: [], edges: [id]}); }", edge)
    side = opened.page.locator("#g60-side")  # type: ignore[attr-defined]
    assert f"→ {opened.js('id => g60.model.byId.get(id).label', hub)}: coordination" in side.locator("h2").inner_text()
    assert side.locator("li.g60-quote").count() > 0  # the facts behind the role, quoted
    opened.page.uncheck("#g60-layers input[value=coordination]")  # type: ignore[attr-defined]
    assert "coordination" not in opened.js("g60.edgesView.get().map(e => e.layer)")
    assert opened.errors == []
