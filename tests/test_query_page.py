"""The pages the endpoint serves, in headless Chromium (playwright) and over HTTP: the
query page (named queries, the editor, errors, cancel, permalink, phones) and each entity
at its IRI's path."""

from __future__ import annotations

import subprocess
from typing import Iterator

import httpx
import pytest

import g60kg
from g60kg.queries import named_query
from servers import CITIES, CROSS_JOIN, MAX_ROWS


# --- the query page, in headless Chromium -------------------------------------------------
@pytest.fixture
def page(browser, server: str) -> Iterator[tuple[object, list[str], list[str]]]:
    """A fresh page on the server; yields it with the console errors and the URLs of
    every request it makes."""
    context = browser.new_context(accept_downloads=True)  # type: ignore[attr-defined]
    page = context.new_page()
    errors: list[str] = []
    requests: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("request", lambda request: requests.append(request.url))
    page.goto(server + "/")
    yield page, errors, requests
    context.close()


def _only_the_server(requests: list[str], server: str) -> None:
    others = [url for url in requests if not url.startswith(server + "/") and not url.startswith("data:")]
    assert others == [] and requests


def test_the_page_runs_a_named_query_with_a_parameter(page, server: str, bundled: g60kg.KnowledgeGraph) -> None:
    tab, errors, requests = page
    tab.click("button[data-name='entities-in-city']")
    assert tab.input_value("#param-city") == "place/songjiang"
    query = named_query("entities-in-city")  # described in both languages
    assert tab.inner_text("#named-description").split("\n") == [query.description_zh, query.description_en]
    assert tab.inner_text("label[for='param-city'] + input + small").startswith(query.parameters[0].description_zh)
    tab.fill("#param-city", "松江区")
    tab.fill("#param-class", "g60:Park")
    tab.click("#run-named")
    tab.wait_for_selector("#table[data-named]")
    cells = tab.locator("#table tbody tr td:nth-child(3)").evaluate_all("tds => tds.map(td => td.dataset.id)")
    result = bundled.query("entities-in-city", city="松江区", **{"class": "g60:Park"})
    expected = result["entity"].tolist()
    assert cells == expected and len(cells) > 2
    # each entity shown by its name, its id on hover
    names = tab.locator("#table tbody tr td:nth-child(3) a").all_inner_texts()
    assert names == [zh if isinstance(zh, str) else en if isinstance(en, str) else e
                     for e, zh, en in zip(result["entity"], result["name_zh"], result["name_en"])]
    assert tab.inner_text("#status").startswith(f"{len(cells)} 行 rows")
    csv_link = tab.get_attribute("#downloads a:text('CSV')", "href")
    assert csv_link.startswith("/queries/entities-in-city?") and "format=csv" in csv_link
    assert errors == []
    _only_the_server(requests, server)


def test_the_page_runs_the_editor_and_shows_errors(page, server: str, client: httpx.Client) -> None:
    tab, errors, requests = page
    tab.fill("#editor", CITIES)
    tab.press("#editor", "Control+Enter")
    tab.wait_for_selector("#table tbody tr")
    assert tab.locator("#table tbody tr").count() == 9
    assert "嘉兴市" in tab.locator("#table tbody").inner_text()
    href = tab.get_attribute("#downloads a:text('TSV')", "href")
    download = client.get(server + href)
    assert download.status_code == 200 and len(download.text.splitlines()) == 10
    tab.fill("#editor", "SELECT ?s WHERE { ?s ?p }")
    tab.click("#run-editor")
    tab.wait_for_selector("#status.error")
    assert "400" in tab.inner_text("#status") and "syntax error" in tab.inner_text("#status")
    assert errors == [e for e in errors if "400" in e]  # only the failed request itself is logged
    _only_the_server(requests, server)


def test_the_chinese_labels_are_drawn_with_a_chinese_font(page) -> None:
    tab, errors, _ = page
    session = tab.context.new_cdp_session(tab)
    session.send("DOM.enable")
    session.send("CSS.enable")
    root = session.send("DOM.getDocument")["root"]["nodeId"]
    heading = session.send("DOM.querySelector", {"nodeId": root, "selector": "h1"})["nodeId"]
    fonts = session.send("CSS.getPlatformFontsForNode", {"nodeId": heading})["fonts"]
    chinese = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True).stdout
    assert fonts and any(f["familyName"] in chinese for f in fonts), fonts
    assert errors == []


# --- the query page: values into the editor, errors marked, cancel, permalink --------------
def test_open_in_editor_carries_the_values(page, server: str, bundled: g60kg.KnowledgeGraph) -> None:
    tab, errors, requests = page
    tab.click("button[data-name='entities-in-city']")
    tab.fill("#param-city", "place/jiaxing")
    tab.fill("#param-class", "g60:Organization")
    tab.click("#to-editor")
    text = tab.input_value("#editor")
    assert "VALUES (?city ?class) { (g60place:jiaxing g60:Organization) }" in text
    tab.click("#run-editor")
    tab.wait_for_selector("#table[data-named]", timeout=20_000)
    cells = tab.locator("#table tbody tr td:nth-child(3)").evaluate_all("tds => tds.map(td => td.dataset.id)")
    expected = bundled.query("entities-in-city", city="place/jiaxing", **{"class": "g60:Organization"})["entity"]
    assert cells == expected.tolist() and cells
    # a name (its label), then a key it is known by (嘉兴 without 市), as the named query finds them;
    # the class stays as typed (choosing the query again would reset the form to its defaults)
    for name in ("嘉兴市", "嘉兴"):
        tab.fill("#param-city", name)
        tab.click("#to-editor")
        assert "g60:nameKey" in tab.input_value("#editor")
        tab.click("#run-editor")
        tab.wait_for_selector("#table[data-named]", timeout=20_000)
        assert tab.locator("#table tbody tr td:nth-child(3)").evaluate_all("tds => tds.map(td => td.dataset.id)") == cells, name
    assert errors == []
    _only_the_server(requests, server)


def test_the_editor_marks_an_error_and_names_an_unknown_prefix(page) -> None:
    tab, _, _ = page
    tab.fill("#editor", "SELECT ?s WHERE {\n  ?s ?p \n}")
    tab.click("#run-editor")
    tab.wait_for_selector("#status.error")
    mark = tab.inner_text("#error-mark")
    assert mark.startswith("第 3 行第 2 列 line 3, column 2") and mark.endswith("}\n ^")  # where the parser stopped
    selected = "(e => e.value.slice(e.selectionStart, e.selectionEnd))(document.getElementById('editor'))"
    assert tab.evaluate(selected) == "}"
    tab.fill("#editor", "SELECT * WHERE { ?s foo:bar ?o }")
    tab.click("#run-editor")
    tab.wait_for_selector("#status:has-text('Unknown prefix')")  # a selector: the page's CSP forbids eval
    status = tab.inner_text("#status")
    assert "Unknown prefix: foo:" in status and "\\u{" not in status and "g60:" in status


def test_tab_completes_a_declared_prefix(page) -> None:
    tab, errors, _ = page
    editor = "#editor"
    tab.fill(editor, "SELECT * WHERE { ?s a g60pl")
    tab.press(editor, "End")
    tab.press(editor, "Tab")
    assert tab.input_value(editor) == "SELECT * WHERE { ?s a g60place:"  # the one prefix that fits, with its colon
    tab.fill(editor, "SELECT * WHERE { ?s rd")
    tab.press(editor, "End")
    tab.press(editor, "Tab")
    assert tab.input_value(editor).endswith(" rdf")  # as far as rdf: and rdfs: agree, both listed
    assert {"rdf:", "rdfs:"} <= set(tab.inner_text("#completions").split())
    tab.fill(editor, "SELECT ?g60pl")
    tab.press(editor, "End")
    tab.press(editor, "Tab")
    assert tab.input_value(editor) == "SELECT ?g60pl  "  # a variable: Tab indents
    assert errors == []


def test_a_query_can_be_cancelled_and_linked(page, server: str) -> None:
    tab, _, _ = page
    tab.fill("#editor", CROSS_JOIN)
    tab.click("#run-editor")
    tab.click("#cancel")
    tab.wait_for_selector("#status:has-text('Cancelled')")
    assert tab.is_hidden("#cancel")
    tab.fill("#editor", CITIES)
    tab.click("#run-editor")
    tab.wait_for_selector("#table tbody tr")
    link = tab.get_attribute("#permalink", "href")
    other = tab.context.new_page()
    other.goto(server + link)
    assert other.input_value("#editor") == CITIES


def test_the_query_page_fits_a_phone(browser, server: str) -> None:
    tab = browser.new_page(viewport={"width": 390, "height": 844})  # type: ignore[attr-defined]
    tab.goto(server + "/")
    tab.click("button[data-name='entities-in-city']")
    tab.click("#run-named")
    tab.wait_for_selector("#table tbody tr")
    assert tab.evaluate("document.documentElement.scrollWidth") <= 390
    assert tab.locator("#editor").bounding_box()["width"] <= 390
    tab.close()


def test_an_entity_at_its_iri_path_as_html_or_rdf(server: str, client: httpx.Client) -> None:
    page = client.get(f"{server}/id/place/songjiang", headers={"Accept": "text/html,*/*;q=0.8"})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "<h1>松江区</h1>" in page.text and 'href="/id/place/shanghai"' in page.text
    assert "<blockquote>" in page.text and 'href="http' in page.text  # quotes, sources as links
    turtle = client.get(f"{server}/id/place/songjiang", headers={"Accept": "text/turtle"})
    assert turtle.headers["content-type"].startswith("text/turtle") and "松江区" in turtle.text
    jsonld = client.get(f"{server}/id/place/songjiang", params={"format": "jsonld"})
    assert any("songjiang" in str(node) for node in jsonld.json())
    assert client.get(f"{server}/id/place/atlantis").status_code == 404


def test_result_cells_link_to_the_entity_pages(page) -> None:
    tab, errors, _ = page
    tab.fill("#editor", CITIES)
    tab.click("#run-editor")
    tab.wait_for_selector("#table[data-named] tbody tr a")
    link = tab.locator("#table tbody tr a").first
    assert link.get_attribute("href").startswith("/id/place/") and link.get_attribute("href") != "/id/place/"
    assert link.locator("xpath=..").get_attribute("title").startswith("https://w3id.org/g60kg/id/place/")
    row = tab.locator("#table tbody tr").first.locator("td").all_inner_texts()
    assert row[0] == row[1].removesuffix("@zh")  # the city's link says its Chinese name (the query's ?name)
    link.click()
    tab.wait_for_selector("h1")
    assert tab.locator("main table tr").count() > 3 and errors == []


def test_an_entity_with_more_facts_than_the_row_limit_gets_a_page_of_them(server: str, client: httpx.Client,
                                                                          bundled: g60kg.KnowledgeGraph) -> None:
    # The city with the most facts, counted as its page counts them (outgoing, and incoming from an IRI).
    busiest = bundled.table("""SELECT ?e (COUNT(*) AS ?n) WHERE {
        ?e a g60:City . { ?e ?p ?o } UNION { ?o ?p ?e FILTER (isIRI(?o)) } } GROUP BY ?e ORDER BY DESC(?n) LIMIT 1""").iloc[0]
    page = client.get(server + "/id/" + busiest["e"].split("/id/", 1)[1], headers={"Accept": "text/html"})
    assert page.status_code == 200 and "<h1>" in page.text
    shown = f"前 first {MAX_ROWS}" if int(busiest["n"]) > MAX_ROWS else None
    assert shown is None or f"Facts ({shown})" in page.text
