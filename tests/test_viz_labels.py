"""Labels that make way for each other: drawn by the page, the selected node's first,
then the larger ones, none over another, more of them as the reader zooms in."""

from __future__ import annotations

from pathlib import Path

import pytest

import g60kg
from pages import open_page

SONGJIANG = "g60place:songjiang"
IN_VIEW = """() => { const net = g60.network, box = document.getElementById('g60-network').getBoundingClientRect();
    return g60.nodesView.getIds().filter(id => { const p = net.canvasToDOM(net.getPositions([id])[id]);
        return p.x > 0 && p.y > 0 && p.x < box.width && p.y < box.height; }); }"""


@pytest.fixture(scope="module")
def graph_page(bundled: g60kg.KnowledgeGraph, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return bundled.visualize("graph", path=tmp_path_factory.mktemp("labels") / "graph.html")


def overlapping(boxes: list[list]) -> list[tuple[str, str]]:
    return [(a[0], b[0]) for i, a in enumerate(boxes) for b in boxes[i + 1:]
            if a[1] < b[3] and b[1] < a[3] and a[2] < b[4] and b[2] < a[4]]


def test_labels_never_overlap_and_the_selection_comes_first(browser: object, graph_page: Path) -> None:
    opened = open_page(browser, graph_page)
    opened.js("g60.network.redraw()")
    boxes = opened.js("g60.labels()")
    assert boxes and overlapping(boxes) == []
    scale = opened.js("g60.network.getScale()")
    sizes = opened.js("Object.fromEntries(g60.nodesView.get().map(n => [n.id, n.font.size]))")
    assert all(sizes[b[0]] * scale >= 8 - 1e-9 for b in boxes)  # none too small to read
    opened.js(f"g60.pick('{SONGJIANG}')")
    opened.js("g60.network.redraw()")
    boxes = opened.js("g60.labels()")
    assert boxes[0][0] == SONGJIANG and overlapping(boxes) == []
    assert opened.errors == []


def test_zooming_in_labels_more_of_what_is_in_view(browser: object, graph_page: Path) -> None:
    opened = open_page(browser, graph_page)
    shares = []
    for scale in (0.5, 1.0, 2.5):
        opened.js("s => { g60.network.moveTo({position: g60.network.getPositions(['%s'])['%s'], scale: s, animation: false}); "
                  "g60.network.redraw(); }" % (SONGJIANG, SONGJIANG), scale)
        in_view = set(opened.js(IN_VIEW))
        labelled = {b[0] for b in opened.js("g60.labels()")} & in_view
        shares.append(len(labelled) / len(in_view))
    assert shares[0] < shares[1] < shares[2] and shares[2] > 0.5
