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
  $("named-description").replaceChildren(element("span", { lang: "zh-Hans" }, query.description_zh),
    element("span", { class: "en", lang: "en" }, query.description_en));
  const fields = query.parameters.map((p) => {
    const input = element("input", {
      id: "param-" + p.name, name: p.name, type: INPUT_TYPES[p.type] || "text",
      value: p.default, placeholder: p.example, title: p.description_zh + " " + p.description_en,
    });
    if (p.type === "year" || p.type === "integer") input.setAttribute("step", "1");
    return element("div", { class: "param" },
      element("label", { for: input.id }, p.name + " ", element("span", { class: "type" }, "(" + p.type + ")")),
      input, element("small", {}, p.description_zh + " " + p.description_en + (p.example ? " · 例 e.g. " + p.example : "")));
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
  if (term.type === "uri") {
    // an entity of this graph links to its page on this server (/id/...), the id on hover;
    // its name replaces the id once the names are fetched (named)
    const id = config.prefixes.g60id;
    if (id && term.value.startsWith(id)) {
      return element("td", { title: term.value, "data-id": shorten(term.value) },
        element("a", { href: "/id/" + term.value.slice(id.length), "data-iri": term.value }, shorten(term.value)));
    }
    return element("td", { title: term.value }, shorten(term.value));
  }
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

// --- names in the result cells: one query per batch of entities, no more rows than the server's limit
let namings = 0;  // the latest table being named: an earlier one's names come too late

async function named(table) {
  const mine = ++namings;
  const links = [...table.querySelectorAll("a[data-iri]")];
  const iris = [...new Set(links.map((a) => a.dataset.iri))];
  const batch = Math.max(1, Math.min(500, config.max_rows));
  const names = new Map();
  for (let start = 0; start < iris.length; start += batch) {
    const values = iris.slice(start, start + batch).map((iri) => "<" + iri + ">").join(" ");
    const query = "SELECT ?e (MIN(?zh) AS ?name_zh) (MIN(?en) AS ?name_en) WHERE { VALUES ?e { " + values + " }\n" +
      "  OPTIONAL { ?e rdfs:label ?zh FILTER (lang(?zh) = \"zh\") } OPTIONAL { ?e rdfs:label ?en FILTER (lang(?en) = \"en\") } } GROUP BY ?e";
    try {
      const response = await fetch("/sparql", { method: "POST", headers: { Accept: RESULTS }, body: new URLSearchParams({ query }) });
      if (!response.ok) break;
      for (const row of (await response.json()).results.bindings) {
        const name = row.name_zh || row.name_en;
        if (name) names.set(row.e.value, name.value);
      }
    } catch (error) {
      break;  // the ids stay: a name is a help, not a result
    }
  }
  if (mine !== namings) return;
  for (const a of links) if (names.has(a.dataset.iri)) a.textContent = names.get(a.dataset.iri);
  table.dataset.named = "1";
}

function showDownloads(urlFor, formats) {
  $("downloads").replaceChildren("下载 Download: ", ...formats.map(([format, label]) =>
    element("a", { href: urlFor(format), download: "results." + format }, label)));
}

function clearResults(message) {
  namings += 1;
  $("table").replaceChildren();
  delete $("table").dataset.named;
  $("graph").hidden = true;
  $("downloads").replaceChildren();
  $("status").className = "";
  $("status").textContent = message;
}

let running = null;  // the AbortController of the query under way

async function run(url, options, urlFor) {
  clearResults("运行中… Running…");
  $("error-mark").hidden = true;
  if (running) running.abort();
  running = new AbortController();
  $("cancel").hidden = false;
  const started = performance.now();
  let response, text;
  try {
    response = await fetch(url, { ...options, signal: running.signal });
    text = await response.text();
  } catch (error) {
    return fail(error.name === "AbortError" ? "已取消 Cancelled" : "请求失败 Request failed: " + error.message);
  } finally {
    running = null;
    $("cancel").hidden = true;
  }
  const type = response.headers.get("Content-Type") || "";
  if (!response.ok) {
    const message = response.status === 400 && urlFor === editorUrl ? markError(text) : text;
    return fail(response.status + " " + response.statusText + ": " + message);
  }
  const ms = Math.round(performance.now() - started);
  if (type.startsWith(RESULTS)) {
    const data = JSON.parse(text);
    if ("boolean" in data) {
      $("status").textContent = "ASK: " + data.boolean + " · " + ms + " ms";
      return;
    }
    const count = showTable(data);
    named($("table"));
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


// --- "Open in editor": the query with the form's values written in --------------------
const XSD_TYPES = { decimal: "decimal", date: "date" };

// The SPARQL term of a parameter's value, or null for a name the server would resolve
// (an entity given by its name: the editor looks it up by label or alias instead).
function termOf(parameter, value) {
  const kind = parameter.type;
  if (kind === "integer" || kind === "year") return /^[+-]?\d+$/.test(value) ? value : JSON.stringify(value);
  if (kind in XSD_TYPES) return JSON.stringify(value) + "^^<" + XSD + XSD_TYPES[kind] + ">";
  if (kind === "string") return JSON.stringify(value);
  if (/^https?:\/\//.test(value)) return "<" + value + ">";
  const curie = /^([A-Za-z][\w-]*):(\S*)$/.exec(value);
  if (curie && curie[1] in config.prefixes) return value;
  const id = /^([a-z]+)\/([^\s/]+)$/.exec(value);  // an id such as place/jiaxing
  if (id) {
    for (const [prefix, namespace] of byLength) {
      if (namespace.endsWith("/id/" + id[1] + "/")) return prefix + ":" + id[2];
    }
  }
  return kind === "iri" ? "<" + value + ">" : null;
}

// The key a name is stored under (g60:nameKey, g60kg.text.normalize.name_key): no case,
// full-width forms, spaces, punctuation or bracketed place. Company forms and traditional
// characters are left as typed: such a name is still found by its exact label or alias.
const KEY_DROPS = /[(（][^()（）\x00]{1,8}?(?:省|市|区|县)?[)）]|[\s\-_·•.,，、;；:：'"“”‘’`!?！？《》〈〉<>()\[\]{}（）【】「」『』\/\\|+&*#@~^=]/g;
function nameKey(text) { return text.normalize("NFKC").toLowerCase().replace(KEY_DROPS, ""); }

function withValues(query, values) {
  const body = query.text.split("\n").filter((line) => !line.startsWith("#")).join("\n");
  const bound = [], terms = [], lookups = [], unbound = [];
  for (const p of query.parameters) {
    const value = values[p.name] || "";
    if (!value) { unbound.push("?" + p.name); continue; }
    const term = termOf(p, value);
    if (term === null) {
      // a name: an entity with that label or alias, or with its key among its name keys, as the named query finds it
      lookups.push("  { ?" + p.name + " g60:nameKey " + JSON.stringify(nameKey(value)) + " } UNION { ?" + p.name +
        " rdfs:label|skos:altLabel ?" + p.name + "_name FILTER (STR(?" + p.name + "_name) = " + JSON.stringify(value) + ") }");
    } else {
      bound.push("?" + p.name);
      terms.push(term);
    }
  }
  let inserted = bound.length ? "\n  VALUES (" + bound.join(" ") + ") { (" + terms.join(" ") + ") }" : "";
  if (lookups.length) inserted += "\n" + lookups.join("\n");
  const where = /\bWHERE\s*\{/i.exec(body) || /\{/.exec(body);
  const text = where ? body.slice(0, where.index + where[0].length) + inserted + body.slice(where.index + where[0].length)
    : body;
  const note = "# " + query.name + (unbound.length ? "; unbound: " + unbound.join(" ") : "") + "\n";
  return note + text;
}

// --- errors: the position marked in the editor, an unknown prefix named ---------------
function undeclared(text) {
  const declared = new Set(Object.keys(config.prefixes));
  for (const match of text.matchAll(/PREFIX\s+([\w-]*):/gi)) declared.add(match[1]);
  const bare = text.replace(/<[^>\s]*>/g, " ").replace(/"(?:[^"\\]|\\.)*"/g, " ").replace(/#.*$/gm, " ");
  const used = [...bare.matchAll(/(?:^|[\s(){},;.\/^|])([A-Za-z][\w-]*):/g)].map((m) => m[1]);
  return [...new Set(used.filter((p) => !declared.has(p) && !/^(https?|urn|mailto)$/i.test(p)))];
}

function markError(message) {
  const at = /at (\d+):(\d+)/.exec(message);
  const editor = $("editor");
  const missing = undeclared(editor.value);
  let reason = message;
  if (missing.length && /prefix not found|expected one of/i.test(message)) {
    reason = "未声明的前缀 Unknown prefix: " + missing.map((p) => p + ":").join(", ") +
      " · 可用 declared: " + Object.keys(config.prefixes).map((p) => p + ":").join(" ");
  } else if (reason.length > 300) {
    reason = reason.slice(0, 300) + "…";
  }
  $("error-mark").hidden = !at;
  if (at) {
    const line = Number(at[1]), column = Number(at[2]);
    const lines = editor.value.split("\n");
    const text = lines[line - 1] || "";
    $("error-mark").textContent = "第 " + line + " 行第 " + column + " 列 line " + line + ", column " + column + "\n" +
      text + "\n" + " ".repeat(Math.max(0, column - 1)) + "^";
    // the parser reports where it stopped, just past the token it could not take: select that token's last character
    const offset = lines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0) + Math.max(0, column - 1);
    editor.focus();
    editor.setSelectionRange(Math.max(0, offset - 1), offset);
  }
  return reason;
}

// --- a link to this page with the editor's query, or the named query and its values ----
function savePermalink() {
  const params = new URLSearchParams();
  if (document.activeElement === $("editor") || $("editor").dataset.used) {
    params.set("query", $("editor").value);
  } else if (selected) {
    params.set("named", selected.name);
    for (const input of $("named-params").querySelectorAll("input")) if (input.value) params.set(input.name, input.value);
  }
  const link = location.pathname + "#" + params.toString();
  history.replaceState(null, "", link);
  $("permalink").href = link;
}

function openPermalink() {
  const params = new URLSearchParams(location.hash.slice(1));
  if (params.has("query")) {
    $("editor").value = params.get("query");
    $("editor").dataset.used = "1";
  } else if (params.has("named")) {
    const query = config.queries.find((q) => q.name === params.get("named"));
    if (!query) return;
    select(query);
    for (const input of $("named-params").querySelectorAll("input")) {
      if (params.has(input.name)) input.value = params.get(input.name);
    }
  }
}

// --- wiring --------------------------------------------------------------------------
$("named-form").addEventListener("submit", (event) => {
  event.preventDefault();
  run(namedUrl(), { headers: { Accept: RESULTS } }, namedUrl);
});

$("to-editor").addEventListener("click", () => {
  const values = Object.fromEntries([...$("named-params").querySelectorAll("input")].map((i) => [i.name, i.value.trim()]));
  $("editor").value = withValues(selected, values);
  $("editor").focus();
  savePermalink();
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
    const editor = $("editor");
    const done = editor.selectionStart === editor.selectionEnd && complete(editor);
    if (!done) editor.setRangeText("  ", editor.selectionStart, editor.selectionEnd, "end");
  }
});

// --- prefix completion: Tab after the start of a declared prefix ----------------------
// One prefix that fits is written out with its colon; several are written up to what they
// share and listed under the editor; none (or a variable, or a word with its colon): Tab indents.
function complete(editor) {
  const before = editor.value.slice(0, editor.selectionStart);
  const word = /(?:^|[\s(){},;.\/^|!=<>])([A-Za-z][\w-]*)$/.exec(before);
  if (!word || editor.value[editor.selectionStart] === ":") return false;
  const fits = Object.keys(config.prefixes).filter((p) => p.startsWith(word[1])).sort();
  $("completions").textContent = fits.length > 1 ? "前缀 Prefixes: " + fits.map((p) => p + ":").join(" ") : "";
  if (!fits.length) return false;
  let shared = fits[0];
  for (const p of fits) while (!p.startsWith(shared)) shared = shared.slice(0, -1);
  const rest = shared.slice(word[1].length) + (fits.length === 1 ? ":" : "");
  editor.setRangeText(rest, editor.selectionStart, editor.selectionEnd, "end");
  return true;
}

$("editor-hint").textContent = "前缀已声明 Prefixes predeclared: " + Object.keys(config.prefixes).join(", ") +
  " · Tab 补全前缀 completes a prefix · Ctrl+Enter 运行 runs · 限制 limits: " + config.timeout + " s, " + config.max_rows + " rows";
$("cancel").addEventListener("click", () => { if (running) running.abort(); });
$("editor").addEventListener("input", () => {
  $("editor").dataset.used = "1";
  $("error-mark").hidden = true;
  $("completions").textContent = "";
});
$("named-form").addEventListener("submit", savePermalink);
$("editor-form").addEventListener("submit", savePermalink);
listQueries();
openPermalink();
