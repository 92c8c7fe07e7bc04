"""Pages larger than their screen: the layout by groups (a city and a class), the page
that draws its largest groups as one node each, opening a group in place, and a node
found inside a closed group."""

from __future__ import annotations

import math
import random
from pathlib import Path

import networkx as nx
import pytest

from g60kg.viz import graph_page
from g60kg.viz.columns import group_of
from g60kg.viz.layout import SPREAD, grouped, positions
from pages import click_node, open_page, page_data

CITIES = ("苏州市", "杭州市", "合肥市")


def corridor_like(n: int, seed: int = 1) -> nx.Graph:
    """``n`` nodes in three cities and two classes (the first city holds half), each tied
    to a random other: groups of unequal size, as a corridor's are."""
    rng = random.Random(seed)
    graph = nx.Graph()
    for i in range(n):
        city = CITIES[0] if i % 2 else CITIES[i % 3]
        graph.add_node(f"n{i}", label=f"节点{i}", cls="firm" if i % 5 else "lab", cities=[city])
    for i in range(n):
        graph.add_edge(f"n{i}", f"n{rng.randrange(n)}")
    return graph


def test_groups_are_discs_apart() -> None:
    graph = corridor_like(2000)
    group = {node: group_of(data, {}) for node, data in graph.nodes(data=True)}
    pos = grouped(graph, group)
    assert positions(graph) is not None and len(pos) == graph.number_of_nodes()
    discs = {}
    for key in set(group.values()):
        members = [pos[n] for n in graph if group[n] == key]
        centre = [sum(p[i] for p in members) / len(members) for i in (0, 1)]
        discs[key] = (centre, max(math.dist(centre, p) for p in members))
    for a in discs:
        for b in discs:
            if a < b:  # no node of one group inside the disc of another
                assert math.dist(discs[a][0], discs[b][0]) >= discs[a][1] + discs[b][1]
    nearest = min(math.dist(pos[u], pos[v]) for u in list(graph)[:200] for v in graph if u != v)
    assert nearest >= SPREAD / 4  # no two nodes on top of each other


@pytest.fixture(scope="module")
def large(tmp_path_factory: pytest.TempPathFactory) -> tuple[nx.Graph, Path]:
    graph = corridor_like(4000)
    return graph, graph_page(graph, size_by="degree").save(tmp_path_factory.mktemp("large") / "large.html")


def test_a_page_larger_than_its_screen_draws_its_largest_groups_as_one_node(browser: object, large) -> None:
    graph, path = large
    data = page_data(path.read_text(encoding="utf-8"))
    assert isinstance(data["nodes"]["id"], list) and len(data["nodes"]["id"]) == 4000  # columns, not objects
    opened = open_page(browser, path)
    closed = opened.js("g60.closed()")
    sizes = [g[2] for g in data["groups"]]
    drawn = opened.js("g60.nodes.get().map(n => [n.id, n.members || 0])")
    assert closed and len(drawn) == 4000 - sum(sizes[g] - 1 for g in closed)
    assert sorted(sizes[g] for g in closed) == sorted(sizes, reverse=True)[:len(closed)]  # the largest first
    assert sum(m for _, m in drawn) == sum(sizes[g] for g in closed)
    # a summed edge stands for every edge between what it joins
    summed = opened.js("g60.edges.get().filter(e => String(e.id).startsWith('sum:')).map(e => e.weight)")
    inside = opened.js("g60.model.edges.filter(e => { const a = g60.model.byId.get(e.from).group, "
                       "b = g60.model.byId.get(e.to).group; return a === b && g60.closed().includes(a); }).length")
    plain = opened.js("g60.edges.get().filter(e => !String(e.id).startsWith('sum:')).length")
    assert summed and sum(summed) + inside + plain == graph.number_of_edges()
    assert "各画作一个节点" in opened.page.inner_text("#g60-summary")  # type: ignore[attr-defined]
    assert opened.errors == [] and opened.remote == []


def test_a_group_opens_in_place_and_back_closes_it(browser: object, large) -> None:
    graph, path = large
    opened = open_page(browser, path)
    group = opened.js("g60.closed()")[0]
    node = opened.js("id => g60.model.groups[id].id", group)
    members = opened.js("g => g60.model.all.filter(n => n.group === g).map(n => [n.id, n.x, n.y])", group)
    click_node(opened, node)
    assert opened.page.locator("#g60-side h2").inner_text().startswith(("苏州市", "杭州市", "合肥市"))  # type: ignore[attr-defined]
    opened.page.click("#g60-side [data-action=open_group]")  # type: ignore[attr-defined]
    opened.page.wait_for_function("document.getElementById('g60-loading').hidden")  # type: ignore[attr-defined]
    assert group not in opened.js("g60.closed()")
    at = opened.js("Object.fromEntries(Object.entries(g60.network.body.nodes).map(([id, n]) => [id, [n.x, n.y]]))")
    assert all(abs(at[n][0] - x) < 0.5 and abs(at[n][1] - y) < 0.5 for n, x, y in members)  # where the layout put them
    assert node not in at
    opened.js("g60.back()")  # what the panel's "back" does
    assert group in opened.js("g60.closed()") and opened.js("id => g60.nodes.get(id) !== null", node)
    assert opened.errors == []


def test_a_node_inside_a_closed_group_is_found_and_kept_in_the_url(browser: object, large) -> None:
    graph, path = large
    opened = open_page(browser, path)
    closed = set(opened.js("g60.closed()"))
    inside = next(n for n, d in graph.nodes(data=True)
                  if opened.js("id => g60.model.byId.get(id).group", n) in closed)
    opened.page.fill("#g60-search", graph.nodes[inside]["label"])  # type: ignore[attr-defined]
    opened.page.press("#g60-search", "Enter")  # type: ignore[attr-defined]
    assert opened.js("g60.network.getSelectedNodes()") == [inside]
    assert set(opened.js("g60.closed()")) == closed  # taken out of its group, which stays closed
    opened.page.wait_for_function("location.hash.includes('loose=')")  # type: ignore[attr-defined]
    again = browser.new_page(viewport={"width": 1280, "height": 800})  # type: ignore[attr-defined]
    again.goto(opened.page.url)  # type: ignore[attr-defined]
    again.wait_for_function("window.g60ready === true", timeout=30_000)
    assert again.evaluate("g60.network.getSelectedNodes()") == [inside]
    assert again.evaluate("g60.nodes.length") == opened.js("g60.nodes.length")
    assert opened.errors == []
