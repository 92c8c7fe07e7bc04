// The query page of g60kg serve: the named-query catalog, a parameter form, a SPARQL
// editor, and the results as a table with download links. Talks only to this server.
"use strict";

const config = JSON.parse(document.getElementById("config").textContent);
const byLength = Object.entries(config.prefixes).sort((a, b) => b[1].length - a[1].length);
const RESULTS = "application/sparql-results+json";
const SHOWN = 2000; // rows drawn in the table; the downloads have them all
const XSD = "http://www.w3.org/2001/XMLSchema#";
const NUMBERS = new Set(["integer", "decimal", "double", "float", "int", "long"].map((t) => XSD + t));
const $ = (id) => document.getElementById(id);

function shorten(iri) {
  for (const [prefix, namespace] of byLength) {
    if (iri.startsWith(namespace)) return prefix + ":" + iri.slice(namespace.length);
  }
  return iri;
}

function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
  node.append(...children);
  return node;
}

// --- the catalog and the form of the selected query -------------------------------
let selected = null;

function listQueries() {
  const list = $("query-list");
  for (const query of config.queries) {
    const button = element("button", { type: "button", "data-name": query.name, title: query.name },
      element("span", { class: "zh" }, query.title_zh), element("span", { class: "en" }, query.title_en));
    button.addEventListener("click", () => select(query));
    list.append(element("li", {}, button));
  }
  $("filter").addEventListener("input", () => {
    const words = $("filter").value.toLowerCase();
    for (const item of list.children) {
      item.hidden = !item.textContent.toLowerCase().includes(words) && !item.firstChild.dataset.name.includes(words);
    }
  });
}

const INPUT_TYPES = { integer: "number", year: "number", decimal: "text", date: "date" };

function select(query) {
  selected = query;
  for (const button of $("query-list").querySelectorAll("button")) {
    button.setAttribute("aria-current", String(button.dataset.name === query.name));
  }
  $("named-title").replaceChildren(query.title_zh + " ", element("span", { class: "en" }, query.title_en));
  $("named-description").textContent = query.description;
  const fields = query.parameters.map((p) => {
    const input = element("input", {
      id: "param-" + p.name, name: p.name, type: INPUT_TYPES[p.type] || "text",
      value: p.default, placeholder: p.example, title: p.description,
    });
    if (p.type === "year" || p.type === "integer") input.setAttribute("step", "1");
    return element("div", { class: "param" },
      element("label", { for: input.id }, p.name + " ", element("span", { class: "type" }, "(" + p.type + ")")),
      input, element("small", {}, p.description + (p.example ? " · 例 e.g. " + p.example : "")));
  });
  $("named-params").replaceChildren(...fields);
  $("named-form").hidden = false;
}

function namedUrl(format) {
  const params = new URLSearchParams();
  for (const input of $("named-params").querySelectorAll("input")) {
    if (input.value.trim() !== "") params.set(input.name, input.value);
  }
  if (format) params.set("format", format);
  const text = params.toString();
  return "/queries/" + encodeURIComponent(selected.name) + (text ? "?" + text : "");
}

function editorUrl(format) {
  return "/sparql?" + new URLSearchParams({ query: $("editor").value, format }).toString();
}

// --- results -------------------------------------------------------------------------
function cell(term) {
  if (!term) return element("td");
  if (term.type === "uri") return element("td", { title: term.value }, shorten(term.value));
  if (term.type === "bnode") return element("td", {}, "_:" + term.value);
  if (term.type === "triple") return element("td", {}, JSON.stringify(term.value));
  const td = element("td", {}, term.value);
  if (term["xml:lang"]) td.append(element("span", { class: "tag" }, "@" + term["xml:lang"]));
  if (NUMBERS.has(term.datatype)) td.className = "number";
  return td;
}

function showTable(data) {
  const vars = data.head.vars || [];
  const rows = data.results.bindings;
  const head = element("thead", {}, element("tr", {}, ...vars.map((v) => element("th", { scope: "col" }, v))));
  const body = element("tbody");
  for (const row of rows.slice(0, SHOWN)) body.append(element("tr", {}, ...vars.map((v) => cell(row[v]))));
  $("table").replaceChildren(head, body);
  return rows.length;
}

function showDownloads(urlFor, formats) {
  $("downloads").replaceChildren("下载 Download: ", ...formats.map(([format, label]) =>
    element("a", { href: urlFor(format), download: "results." + format }, label)));
}

function clearResults(message) {
  $("table").replaceChildren();
  $("graph").hidden = true;
  $("downloads").replaceChildren();
  $("status").className = "";
  $("status").textContent = message;
}

async function run(url, options, urlFor) {
  clearResults("运行中… Running…");
  const started = performance.now();
  let response;
  try {
    response = await fetch(url, options);
  } catch (error) {
    return fail("请求失败 Request failed: " + error.message);
  }
  const type = response.headers.get("Content-Type") || "";
  const text = await response.text();
  if (!response.ok) return fail(response.status + " " + response.statusText + ": " + text);
  const ms = Math.round(performance.now() - started);
  if (type.startsWith(RESULTS)) {
    const data = JSON.parse(text);
    if ("boolean" in data) {
      $("status").textContent = "ASK: " + data.boolean + " · " + ms + " ms";
      return;
    }
    const count = showTable(data);
    const shown = count > SHOWN ? " (表中显示前 " + SHOWN + " 行 the table shows the first " + SHOWN + ")" : "";
    $("status").textContent = count + " 行 rows · " + ms + " ms" + shown;
    showDownloads(urlFor, [["csv", "CSV"], ["tsv", "TSV"], ["json", "JSON"]]);
  } else {
    $("graph").textContent = text;
    $("graph").hidden = false;
    $("status").textContent = "图 Graph (Turtle) · " + ms + " ms";
    showDownloads(urlFor, [["ttl", "Turtle"], ["nt", "N-Triples"], ["jsonld", "JSON-LD"]]);
  }
}

function fail(message) {
  $("status").className = "error";
  $("status").textContent = message;
}

// --- wiring --------------------------------------------------------------------------
$("named-form").addEventListener("submit", (event) => {
  event.preventDefault();
  run(namedUrl(), { headers: { Accept: RESULTS } }, namedUrl);
});

$("to-editor").addEventListener("click", () => {
  const names = selected.parameters.map((p) => "?" + p.name).join(" ");
  const note = names ? "# " + names + ": parameters of " + selected.name + "; bind them with VALUES or FILTER\n" : "";
  $("editor").value = note + selected.text.split("\n").filter((line) => !line.startsWith("#")).join("\n");
  $("editor").focus();
});

$("editor-form").addEventListener("submit", (event) => {
  event.preventDefault();
  run("/sparql", {
    method: "POST",
    headers: { Accept: RESULTS + ", text/turtle;q=0.9" },
    body: new URLSearchParams({ query: $("editor").value }),
  }, editorUrl);
});

$("editor").addEventListener("keydown", (event) => {
  if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
    event.preventDefault();
    $("editor-form").requestSubmit();
  } else if (event.key === "Tab" && !event.shiftKey) {
    event.preventDefault();
    $("editor").setRangeText("  ", $("editor").selectionStart, $("editor").selectionEnd, "end");
  }
});

$("editor-hint").textContent = "前缀已声明 Prefixes predeclared: " + Object.keys(config.prefixes).join(", ") +
  " · Ctrl+Enter 运行 runs · 限制 limits: " + config.timeout + " s, " + config.max_rows + " rows";
listQueries();
