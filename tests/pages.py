"""Helpers of the page tests: a page opened in headless Chromium with what it logged and
asked for, the counts it holds, its data, and a click on a node where it is drawn."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Opened:
    """A page in the browser, with what it logged and asked for."""

    page: object
    errors: list[str] = field(default_factory=list)
    remote: list[str] = field(default_factory=list)

    def js(self, script: str, arg: object = None) -> object:
        return self.page.evaluate(script, arg)  # type: ignore[attr-defined]


def open_page(browser: object, path: Path) -> Opened:
    page = browser.new_page(viewport={"width": 1280, "height": 800})  # type: ignore[attr-defined]
    opened = Opened(page)
    page.on("console", lambda m: opened.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: opened.errors.append(str(e)))
    page.on("request", lambda r: None if r.url.startswith("file://") else opened.remote.append(r.url))
    page.goto(path.as_uri())
    page.wait_for_function("window.g60ready === true", timeout=30_000)
    return opened


def counts(opened: Opened) -> list[int]:
    """Nodes and edges in the page's data sets, then those the network holds now."""
    return opened.js("[g60.nodes.length, g60.edges.length, g60.nodesView.length, g60.network.body.edgeIndices.length]")


def page_data(text: str) -> dict:
    """The data a page carries (its ``#g60-data`` script)."""
    return json.loads(text.split('<script id="g60-data" type="application/json">', 1)[1].split("</script>", 1)[0])


def click_node(opened: Opened, node: str) -> None:
    """Bring a node to the middle, then click it with the mouse at a point of its drawing
    that no other node covers (the network's own hit test, ``getNodeAt``, finds one)."""
    point = opened.js("""id => {
        const net = g60.network;
        net.focus(id, {scale: 1.5, animation: false});
        const at = net.getPositions([id])[id], r = net.body.nodes[id].shape.radius || 8;
        const box = document.getElementById('g60-network').getBoundingClientRect();
        for (let i = 0; i <= 6; i++) for (let j = 0; j <= 6; j++) {
            const p = net.canvasToDOM({x: at.x + r * (i / 3 - 1), y: at.y + r * (j / 3 - 1)});
            if (net.getNodeAt(p) === id) return [box.left + p.x, box.top + p.y];
        }
        return null; }""", node)
    assert point is not None, f"{node} is covered by other nodes wherever it is drawn"
    opened.page.mouse.click(*point)  # type: ignore[attr-defined]
