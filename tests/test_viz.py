"""The pages of g60kg.viz, in a real headless Chromium: offline, the node and edge counts
of the networkx graphs they show, tooltips with quotes, layer and city filters, search
by Chinese name, the ego view of an alias, and a screenshot kept for a person to look at."""

from __future__ import annotations

import functools
import http.server
import os
import socketserver
from collections import Counter
import threading
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

import g60kg
from g60kg.cli import main
from g60kg.errors import G60Error
from g60kg.network.cities import entity_graph
from g60kg.viz import graph_page, remote_urls, view_graph
from g60kg.viz.catalog import fetch_catalog
from g60kg.viz.layout import LARGE
from g60kg.viz.views import ALL_TOPS
from pages import Opened, click_node, counts, open_page, page_data

TENCENT = "g60org:tencent-ai-supercomputing-center"
SONGJIANG = "g60place:songjiang"
TENCENT_QUOTE = "腾讯长三角人工智能超算中心依托其大数据优势"
VIEWS = {"graph": {}, "cities": {}, "alliances": {}, "ego": {"focus": "腾讯长三角AI超算中心", "hops": 2}}


@pytest.fixture(scope="module")
def pages(bundled: g60kg.KnowledgeGraph, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("pages")
    return {view: bundled.visualize(view, path=folder / f"{view}.html", **options) for view, options in VIEWS.items()}


@pytest.mark.parametrize("view", list(VIEWS))
def test_pages_are_offline(browser: object, pages: dict[str, Path], view: str) -> None:
    assert remote_urls(pages[view].read_text(encoding="utf-8")) == []
    opened = open_page(browser, pages[view])
    assert opened.errors == [] and opened.remote == []
    assert opened.js("document.querySelectorAll('script[src], link[href], img[src], iframe').length") == 0
    assert opened.js("g60.network.physics.physicsEnabled") is False  # off from the start, or once settled


def test_a_page_served_over_http_asks_only_its_server(browser: object, pages: dict[str, Path]) -> None:
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(pages["graph"].parent))
    with socketserver.TCPServer(("127.0.0.1", 0), handler) as server:
        threading.Thread(target=server.serve_forever, daemon=True).start()
        origin = f"http://127.0.0.1:{server.server_address[1]}/"
        page = browser.new_page()  # type: ignore[attr-defined]
        requests: list[str] = []
        page.on("request", lambda r: requests.append(r.url))
        page.goto(origin + "cities.html")
        page.wait_for_function("window.g60ready === true", timeout=30_000)
        server.shutdown()
    assert requests and all(url.startswith(origin) for url in requests)
    assert page.evaluate("g60.nodes.length") == 9


def test_counts_equal_the_networkx_graphs(browser: object, pages: dict[str, Path], bundled: g60kg.KnowledgeGraph) -> None:
    entities = bundled.network("entities")
    assert counts(open_page(browser, pages["graph"])) == [entities.number_of_nodes(), entities.number_of_edges()] * 2
    cities = view_graph(bundled, "cities")
    assert counts(open_page(browser, pages["cities"])) == [9, cities.number_of_edges()] * 2
    alliances = view_graph(bundled, "alliances")
    assert counts(open_page(browser, pages["alliances"]))[:2] == [alliances.number_of_nodes(), alliances.number_of_edges()]
    in_graph = sum(d["cls"] == "g60:Alliance" for _, d in entities.nodes(data=True))
    assert sum(d["cls"] == "g60:Alliance" for _, d in alliances.nodes(data=True)) == in_graph > 0


def test_clicking_a_node_shows_its_quotes_and_sources(browser: object, pages: dict[str, Path]) -> None:
    opened = open_page(browser, pages["graph"])
    click_node(opened, TENCENT)
    side = opened.page.locator("#g60-side")  # type: ignore[attr-defined]
    assert side.is_visible()
    assert side.locator("h2").inner_text() == "腾讯长三角人工智能超算中心"
    quotes = side.locator("blockquote").all_inner_texts()
    assert any(TENCENT_QUOTE in q for q in quotes)
    assert "“松江现象”透视 · 松江报" in side.inner_text()
    assert "松江区" in side.inner_text()  # its city
    opened.page.keyboard.press("Escape")  # type: ignore[attr-defined]
    assert not side.is_visible()


def test_every_quote_of_a_node_is_reachable_page_by_page(browser: object, pages: dict[str, Path],
                                                         bundled: g60kg.KnowledgeGraph) -> None:
    catalog = fetch_catalog(bundled)
    rows, more = catalog.entity_evidence(SONGJIANG)
    assert more == 0 and len(rows) > 20  # more than one page
    opened = open_page(browser, pages["graph"])
    opened.js(f"g60.pick('{SONGJIANG}')")
    side = opened.page.locator("#g60-side")  # type: ignore[attr-defined]
    assert f"（{len(rows)} 条）" in side.locator("h3").inner_text()
    seen: list[str] = []
    links: dict[str, str] = {}
    tables = 0
    while True:
        for item in side.locator("li.g60-quote").all():
            quote = item.locator("details blockquote") if item.locator("table").count() else item.locator("blockquote")
            seen.append(quote.text_content())
            tables += item.locator("table td.g60-num").count() > 0
            for link in item.locator("cite a").all():
                links[link.inner_text()] = link.get_attribute("href")
        following = side.locator(".g60-pager [data-page=next]")
        if not following.count() or following.is_disabled():
            break
        following.click()
    assert sorted(seen) == sorted(r[0] for r in rows)
    assert tables >= 1  # the census row of 松江区, shown as a table
    sources = catalog.sources()
    expected = {sources[r[1]][0]: sources[r[1]][3] for r in rows if sources[r[1]][3].startswith("http")}
    assert links == expected
    assert opened.errors == []


def test_a_layer_toggle_hides_that_layers_edges(browser: object, pages: dict[str, Path],
                                               bundled: g60kg.KnowledgeGraph) -> None:
    cities = view_graph(bundled, "cities")
    by_layer = Counter(k for _, _, k in cities.edges(keys=True))
    opened = open_page(browser, pages["cities"])
    drawn = "g60.network.body.edgeIndices.map(id => g60.edges.get(Number(id)).layer)"
    assert opened.js(drawn).count("institutional") == by_layer["institutional"] > 0
    opened.page.uncheck("#g60-layers input[value=institutional]")  # type: ignore[attr-defined]
    shown = opened.js(drawn)
    assert "institutional" not in shown
    assert len(shown) == sum(n for name, n in by_layer.items() if name != "institutional")
    assert opened.js("g60.network.body.edgeIndices.length") == len(shown)
    assert opened.page.is_disabled("#g60-layers input[value=knowledge]")  # type: ignore[attr-defined]
    # after "back" (the state restored as a new set of layers) the checkbox still acts
    opened.js("g60.back()")
    assert opened.js(drawn).count("institutional") == by_layer["institutional"]
    opened.page.uncheck("#g60-layers input[value=institutional]")  # type: ignore[attr-defined]
    assert "institutional" not in opened.js(drawn)


def test_cities_on_a_map_with_the_shared_ties_once(browser: object, pages: dict[str, Path],
                                                  bundled: g60kg.KnowledgeGraph) -> None:
    layers = bundled.network("cities")
    institutional = layers["institutional"]
    assert institutional.number_of_edges() == 36  # every pair: the bodies all nine share, and more
    cities = view_graph(bundled, "cities")
    kept = {(u, v): d["weight"] for u, v, k, d in cities.edges(keys=True, data=True) if k == "institutional"}
    # each pair keeps only the ties of its own; what all nine share is the background
    assert 0 < len(kept) <= 36
    assert sum(kept.values()) < sum(d["weight"] for _, _, d in institutional.edges(data=True))
    shared = cities.graph["shared"]
    assert [s["layer"] for s in shared] == ["institutional"] and shared[0]["ties"]
    assert "长三角G60科创走廊联席会议办公室" in shared[0]["ties"]
    opened = open_page(browser, pages["cities"])
    assert "长三角G60科创走廊联席会议办公室" in opened.page.inner_text("#g60-shared")  # type: ignore[attr-defined]
    names = {r[0] for r in opened.js("JSON.parse(document.getElementById('g60-data').textContent).basemap.rings")}
    assert {"上海市", "江苏省", "浙江省", "安徽省"} <= names and "云南省" not in names
    # the sea and the provinces are drawn: the basemap toggle changes the picture
    with_map = opened.page.locator("#g60-network canvas").screenshot()  # type: ignore[attr-defined]
    opened.page.uncheck("#g60-basemap input")  # type: ignore[attr-defined]
    assert opened.page.locator("#g60-network canvas").screenshot() != with_map  # type: ignore[attr-defined]
    assert opened.errors == []


def positions(opened: Opened) -> dict[str, list[float]]:
    """Where every node the network holds is, hidden or not (its own coordinates, not
    the rounded ones of ``getPositions``, which leaves hidden nodes out)."""
    return opened.js("Object.fromEntries(Object.entries(g60.network.body.nodes).map(([id, n]) => [id, [n.x, n.y]]))")


def moved(before: dict[str, list[float]], after: dict[str, list[float]]) -> list[str]:
    return [n for n in before if abs(before[n][0] - after[n][0]) > 0.5 or abs(before[n][1] - after[n][1]) > 0.5]


@pytest.mark.parametrize("view", ["graph", "alliances"])
def test_no_node_moves_through_filters_and_search_until_a_relayout(browser: object, pages: dict[str, Path],
                                                                    view: str) -> None:
    opened = open_page(browser, pages[view])
    page = opened.page
    before = positions(opened)
    cls = opened.js(f"g60.nodes.get('{TENCENT}').cls") if view == "graph" else "g60:Alliance"
    page.uncheck(f"#g60-classes input[value='{cls}']")  # type: ignore[attr-defined]
    page.check(f"#g60-classes input[value='{cls}']")  # type: ignore[attr-defined]
    for layer in opened.js("g60.edges.distinct('layer')"):
        page.uncheck(f"#g60-layers input[value='{layer}']")  # type: ignore[attr-defined]
    page.select_option("#g60-city", "g60place:wuhu")  # type: ignore[attr-defined]
    page.select_option("#g60-city", "")  # type: ignore[attr-defined]
    for layer in opened.js("g60.edges.distinct('layer')"):
        page.check(f"#g60-layers input[value='{layer}']")  # type: ignore[attr-defined]
    hidden = opened.js("g60.nodes.get()[0]")
    page.uncheck(f"#g60-classes input[value='{hidden['cls']}']")  # type: ignore[attr-defined]
    assert opened.js(f"g60.nodesView.get('{hidden['id']}')") is None
    page.fill("#g60-search", hidden["label"])  # type: ignore[attr-defined]
    page.press("#g60-search", "Enter")  # type: ignore[attr-defined]
    assert opened.js(f"g60.nodesView.get('{hidden['id']}')") is not None  # searched, so shown again
    assert opened.js("g60.nodesView.length") == opened.js("g60.nodes.length")
    assert moved(before, positions(opened)) == []
    assert opened.errors == []
    page.uncheck(f"#g60-classes input[value='{hidden['cls']}']")  # type: ignore[attr-defined]
    out = set(opened.js("g60.nodes.getIds()")) - set(opened.js("g60.nodesView.getIds()"))
    page.click("#g60-tools [data-tool=relayout]")  # type: ignore[attr-defined]
    page.wait_for_function("!g60.network.physics.physicsEnabled", timeout=30_000)  # type: ignore[attr-defined]
    after = positions(opened)
    assert out and not out & set(moved(before, after))  # what is hidden stays where it was
    assert len(moved(before, after)) > (len(before) - len(out)) / 2


def test_selection_fades_all_but_the_node_and_its_neighbours(browser: object, pages: dict[str, Path]) -> None:
    opened = open_page(browser, pages["graph"])
    click_node(opened, TENCENT)
    near = set(opened.js(f"g60.network.getConnectedNodes('{TENCENT}')")) | {TENCENT}
    opacity = opened.js("Object.fromEntries(g60.nodesView.get().map(n => [n.id, n.opacity]))")
    assert {n for n, o in opacity.items() if o == 1} == near and len(near) < len(opacity)
    opened.js("() => { g60.network.unselectAll(); g60.network.body.emitter.emit('deselectNode', {nodes: [], edges: []}); }")
    assert set(opened.js("g60.nodesView.get().map(n => n.opacity)")) == {1}


def test_classes_use_at_most_ten_hues_and_a_shape_for_the_rest(pages: dict[str, Path]) -> None:
    data = page_data(pages["graph"].read_text(encoding="utf-8"))
    styles = [(c[2], c[4]) for c in data["classes"]]
    assert len(styles) > 10 and len({c for c, _ in styles}) <= 10 and len(set(styles)) == len(styles)
    assert all(shape == "dot" for _, shape in styles[:10])


def test_the_city_filter_keeps_a_city_and_its_ties(browser: object, pages: dict[str, Path]) -> None:
    opened = open_page(browser, pages["graph"])
    opened.page.select_option("#g60-city", "g60place:wuhu")  # type: ignore[attr-defined]
    result = opened.js("""() => {
        const inWuhu = new Set(g60.nodesView.get().filter(n => n.cities.includes('g60place:wuhu')).map(n => n.id));
        return [g60.nodesView.length, g60.nodes.length, inWuhu.size,
                g60.edgesView.get().every(e => inWuhu.has(e.from) || inWuhu.has(e.to))]; }""")
    shown, total, in_wuhu, touching = result
    assert 0 < in_wuhu <= shown < total and touching


def test_search_finds_a_node_by_its_chinese_name(browser: object, pages: dict[str, Path]) -> None:
    opened = open_page(browser, pages["graph"])
    opened.page.fill("#g60-search", "腾讯长三角人工智能超算中心")  # type: ignore[attr-defined]
    assert opened.page.get_attribute("#g60-hits li", "data-id") == TENCENT  # type: ignore[attr-defined]
    opened.page.press("#g60-search", "Enter")  # type: ignore[attr-defined]
    assert opened.js("g60.network.getSelectedNodes()") == [TENCENT]
    assert TENCENT_QUOTE in opened.page.inner_text("#g60-side")  # type: ignore[attr-defined]
    assert TENCENT in opened.js("g60.search('腾讯长三角AI超算中心')")  # an alias
    assert opened.js("g60.search('松江')")[0] == "g60place:songjiang"  # part of a name, shortest first


def test_the_ego_view_of_an_alias(browser: object, pages: dict[str, Path], bundled: g60kg.KnowledgeGraph) -> None:
    expected = nx.ego_graph(entity_graph(bundled, tops=ALL_TOPS), TENCENT, radius=2, undirected=True)
    opened = open_page(browser, pages["ego"])
    assert counts(opened) == [expected.number_of_nodes(), expected.number_of_edges()] * 2
    assert opened.js("g60.network.getSelectedNodes()") == [TENCENT]
    with pytest.raises(G60Error, match="no entity named '腾讯超算' in the graph; did you mean"):
        view_graph(bundled, "ego", focus="腾讯超算")
    with pytest.raises(G60Error, match="needs an entity"):
        view_graph(bundled, "ego")


@pytest.mark.parametrize("size", [(1440, 900), (390, 844)])
def test_screenshots_at_desk_and_phone_sizes(browser: object, pages: dict[str, Path], size: tuple[int, int],
                                            tmp_path_factory: pytest.TempPathFactory) -> None:
    """What a reader sees on opening: legible labels, nothing wider than the screen, the
    graph given most of it (on a phone the filters wait in a drawer), and a drawing."""
    from PIL import Image

    folder = Path(os.environ.get("G60KG_ARTIFACTS") or tmp_path_factory.mktemp("screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    width, height = size
    for view in ("graph", "cities", "alliances"):
        page = browser.new_page(viewport={"width": width, "height": height})  # type: ignore[attr-defined]
        page.goto(pages[view].as_uri())
        page.wait_for_function("window.g60ready === true", timeout=30_000)
        shot = folder / f"{view}-{width}.png"
        page.screenshot(path=str(shot))
        biggest = page.evaluate("Math.max(...g60.nodesView.get().map(n => n.font.size)) * g60.network.getScale()")
        assert biggest >= 11, f"{view} at {width}px opens with its largest labels {biggest:.1f} px high"
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        stage = page.locator("#g60-stage").bounding_box()
        assert stage["width"] >= (0.95 if width < 700 else 0.6) * width
        if width >= 700:
            assert page.locator("#g60-panel").is_visible()
        else:
            assert page.evaluate("document.getElementById('g60-panel').getBoundingClientRect().right") <= 0
            page.click("#g60-menu")
            page.wait_for_timeout(400)
            box = page.locator("#g60-panel").bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= width
        image = Image.open(shot).convert("L")
        assert sum(image.histogram()[:200]) > 0.01 * image.width * image.height, f"{shot} is almost blank"


def test_a_large_graph_arrives_laid_out(browser: object, tmp_path: Path) -> None:
    graph = nx.random_labeled_tree(LARGE + 500, seed=1)
    page = graph_page(graph, size_by="degree").save(tmp_path / "large.html")
    opened = open_page(browser, page)
    assert opened.errors == []
    assert counts(opened) == [LARGE + 500, LARGE + 499] * 2
    assert opened.js("g60.network.physics.physicsEnabled") is False
    assert opened.js("g60.nodes.get().every(n => typeof n.x === 'number' && typeof n.y === 'number')")
    assert f"{LARGE + 500:,}" in page.read_text(encoding="utf-8").split('id="g60-loading"', 1)[1].split("</p>", 1)[0]
    assert opened.js("document.getElementById('g60-loading').hidden")  # the note while loading, gone once drawn


def test_parallel_edges_all_reach_the_page(browser: object, tmp_path: Path) -> None:
    graph = nx.MultiGraph()
    graph.add_edge("松江区", "芜湖市", key="enterprise", layer="enterprise")
    graph.add_edge("松江区", "芜湖市", key="institutional", layer="institutional")
    page = graph_page(graph, lang="en").save(tmp_path / "two.html")
    edges = page_data(page.read_text(encoding="utf-8"))["edges"]
    assert (edges["from"], edges["to"]) == ([0, 0], [1, 1])  # node numbers, in the graph's order
    opened = open_page(browser, page)
    drawn = opened.js("g60.edges.get().map(e => [e.from, e.to, e.layer, Boolean(e.smooth && e.smooth.enabled)])")
    assert sorted(drawn) == [["松江区", "芜湖市", "enterprise", False], ["松江区", "芜湖市", "institutional", True]]


def test_filters_are_checked_against_the_view(bundled: g60kg.KnowledgeGraph) -> None:
    page = bundled.visualize("graph", classes=["企业", "Alliance"], city="芜湖", layers=["enterprise"])
    assert '"initial":{"classes":["g60:Enterprise","g60:Alliance"],"city":"g60place:wuhu","layers":["enterprise"]}' in page
    with pytest.raises(G60Error, match="no class 'Spaceship' in this view; expected one of"):
        bundled.visualize("graph", classes=["Spaceship"])
    with pytest.raises(G60Error, match="no member city '火星'"):
        bundled.visualize("cities", city="火星")


def test_the_command_writes_a_page(tmp_path: Path) -> None:
    store = str(tmp_path / "store")
    assert CliRunner().invoke(main, ["build", "--store", store]).exit_code == 0
    out = tmp_path / "wuhu.html"
    result = CliRunner().invoke(main, ["visualize", "--store", store, "--view", "ego", "--focus", "芜湖", "--hops", "1",
                                       "--lang", "en", "--size-by", "pagerank", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert result.output == f"wrote {out}\n" and "Wuhu" in out.read_text(encoding="utf-8")
    missing = CliRunner().invoke(main, ["visualize", "--store", store, "--view", "ego", "-o", str(out)])
    assert missing.exit_code == 1 and "needs an entity" in missing.stderr


def test_the_url_reproduces_the_view(browser: object, pages: dict[str, Path]) -> None:
    opened = open_page(browser, pages["graph"])
    page = opened.page
    page.uncheck("#g60-classes input[value='g60:Park']")  # type: ignore[attr-defined]
    page.select_option("#g60-city", "g60place:suzhou")  # type: ignore[attr-defined]
    opened.js("g60.pick('g60place:suzhou')")
    opened.js("() => { g60.network.moveTo({position: {x: 40, y: -30}, scale: 1.3}); g60.network.body.emitter.emit('zoom', {}); }")
    page.wait_for_function("location.hash.includes('at=40')")  # type: ignore[attr-defined]
    url = page.url  # type: ignore[attr-defined]
    seen = "[g60.nodesView.getIds().sort(), g60.edgesView.getIds().sort(), g60.network.getSelectedNodes()]"
    before = opened.js(seen)
    again = browser.new_page(viewport={"width": 1280, "height": 800})  # type: ignore[attr-defined]
    again.goto(url)
    again.wait_for_function("window.g60ready === true", timeout=30_000)
    assert again.evaluate(seen) == before
    assert before[2] == ["g60place:suzhou"] and len(before[0]) < opened.js("g60.nodes.length")
    assert round(again.evaluate("g60.network.getScale()"), 2) == 1.3
    assert [round(v) for v in again.evaluate("Object.values(g60.network.getViewPosition())")] == [40, -30]
    assert again.locator("#g60-side h2").inner_text() == opened.js("g60.nodes.get('g60place:suzhou').label")


def test_exports_hold_what_is_shown(browser: object, pages: dict[str, Path], tmp_path: Path) -> None:
    import csv

    from PIL import Image

    opened = open_page(browser, pages["graph"])
    page = opened.page
    page.select_option("#g60-city", "g60place:wuhu")  # type: ignore[attr-defined]
    files = {}
    for kind in ("png", "csv_nodes", "csv_edges"):
        with page.expect_download() as info:  # type: ignore[attr-defined]
            page.click(f"#g60-export [data-export={kind}]")  # type: ignore[attr-defined]
        files[kind] = tmp_path / info.value.suggested_filename
        info.value.save_as(files[kind])
    with files["csv_nodes"].open(encoding="utf-8-sig", newline="") as f:
        nodes = list(csv.DictReader(f))
    with files["csv_edges"].open(encoding="utf-8-sig", newline="") as f:
        ties = list(csv.DictReader(f))
    assert sorted(n["id"] for n in nodes) == sorted(opened.js("g60.nodesView.getIds()"))
    assert sorted((t["from"], t["to"], t["layer"]) for t in ties) == sorted(
        map(tuple, opened.js("g60.edgesView.get().map(e => [e.from, e.to, e.layer])")))
    assert "芜湖市" in {n["label"] for n in nodes} and len(nodes) < opened.js("g60.nodes.length")
    image = Image.open(files["png"])
    assert list(image.size) == opened.js("(c => [c.width, c.height])(document.querySelector('#g60-network canvas'))")
    assert sum(image.convert("L").histogram()[:200]) > 0.005 * image.width * image.height  # drawn, not blank


def test_expand_one_hop_and_back(browser: object, pages: dict[str, Path]) -> None:
    opened = open_page(browser, pages["graph"])
    for cls in opened.js("g60.nodes.distinct('cls')"):
        if cls != "g60:Alliance":
            opened.page.uncheck(f"#g60-classes input[value='{cls}']")  # type: ignore[attr-defined]
    alliances = sorted(opened.js("g60.nodesView.getIds()"))
    alliance = alliances[0]
    opened.js(f"g60.pick('{alliance}')")
    opened.page.click("#g60-side [data-action=expand]")  # type: ignore[attr-defined]
    shown = set(opened.js("g60.nodesView.getIds()"))
    assert set(opened.js(f"g60.network.getConnectedNodes('{alliance}')")) | set(alliances) == shown
    assert len(shown) > len(alliances)
    opened.page.click("#g60-side [data-action=back]")  # type: ignore[attr-defined]
    assert sorted(opened.js("g60.nodesView.getIds()")) == alliances


def test_the_top_bar_and_the_year_slider(browser: object, pages: dict[str, Path]) -> None:
    opened = open_page(browser, pages["cities"])
    nav = opened.js("[...document.querySelectorAll('#g60-nav a')].map(a => [a.dataset.nav, a.getAttribute('href'), "
                    "a.hasAttribute('aria-current')])")
    assert nav == [["graph", "graph.html", False], ["cities", "cities.html", True],
                   ["alliances", "alliances.html", False], ["report", "report.html", False]]  # no query page offline
    years = sorted(set(opened.js("g60.edges.get().map(e => e.year).filter(y => y !== undefined)")))
    assert len(years) > 1
    all_ties = opened.js("g60.edgesView.length")
    opened.page.fill("#g60-year input", str(years[0]))  # type: ignore[attr-defined]
    assert str(years[0]) in opened.page.inner_text("#g60-year")  # type: ignore[attr-defined]
    shown = opened.js("g60.edgesView.get().map(e => e.year)")
    assert len(shown) < all_ties and all(y is None or y <= years[0] for y in shown)
