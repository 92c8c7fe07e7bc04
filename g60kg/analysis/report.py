"""The central-node report: ``report.html`` (self-contained: figures as base64 PNG data
URIs, no script, no CDN, opens offline) and ``report.md`` (figures as PNG files beside it).

It shows the verdict in words, a heat map of every city's rank under every measure and
layer, bootstrap rank intervals, the member cities drawn at their coordinates with
layer-coloured links (cities without coordinates in the data are named on the figure,
not placed), the evidence table with quotes, and the sources.
"""

from __future__ import annotations

import base64
import html
import io
from pathlib import Path
from typing import Any

import pandas as pd

from g60kg.analysis.centrality import MEASURES
from g60kg.network.cities import LAYERS, Queryable
from g60kg.analysis.verdict import Verdict, central_node

__all__ = ["report_figures", "render_html", "render_markdown", "write_report"]

COLOURS = {"institutional": "#4c72b0", "enterprise": "#dd8452", "knowledge": "#55a868", "infrastructure": "#8172b3",
           "multiplex": "#333333"}


def _english(verdict: Verdict, node: str) -> str:
    places = verdict.coordinates
    if node in places.index and isinstance(places.at[node, "en"], str):
        return places.at[node, "en"].removesuffix(" District")
    return node.split(":", 1)[-1]


def _png(figure: Any) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=110, bbox_inches="tight")
    return buffer.getvalue()


def _heatmap(verdict: Verdict) -> bytes:
    from matplotlib.figure import Figure

    values = verdict.values[verdict.values["measure"].isin(MEASURES)]
    useful = set(verdict.layers.loc[verdict.layers["informative"], "graph"])
    graphs = [g for g in [*LAYERS, "multiplex"] if g in useful]
    left_out = [g for g in LAYERS if g not in useful]
    wide = values.pivot_table(index="city", columns=["graph", "measure"], values="rank")
    wide = wide.reindex(columns=pd.MultiIndex.from_product([graphs, MEASURES]))
    order = wide.mean(axis=1).sort_values().index
    wide = wide.loc[order]
    figure = Figure(figsize=(1.2 + 0.32 * wide.shape[1], 0.8 + 0.42 * len(wide)))
    axis = figure.subplots()
    image = axis.imshow(wide.to_numpy(dtype=float), cmap="viridis_r", aspect="auto", vmin=1, vmax=len(wide))
    axis.set_yticks(range(len(wide)), [_english(verdict, c) for c in wide.index])
    axis.set_xticks(range(wide.shape[1]), [m for _, m in wide.columns], rotation=90, fontsize=7)
    for k, graph in enumerate(graphs):
        axis.text(k * len(MEASURES) + len(MEASURES) / 2 - 0.5, -0.9, graph, ha="center", fontsize=8, weight="bold")
        if k:
            axis.axvline(k * len(MEASURES) - 0.5, color="white", linewidth=2)
    for (i, j), rank in pd.DataFrame(wide.to_numpy()).stack().items():
        axis.text(j, i, f"{rank:.0f}", ha="center", va="center", fontsize=6, color="white" if rank < len(wide) / 2 else "black")
    figure.colorbar(image, ax=axis, label="rank (1 = most central; ties share the better rank)", shrink=0.7)
    axis.set_title(f"Rank of each city under each measure and layer ({verdict.resolution} resolution)"
                   + (f"\nnot shown, too few ties to rank cities: {', '.join(left_out)}" if left_out else ""), pad=22)
    return _png(figure)


def _intervals(verdict: Verdict) -> bytes:
    from matplotlib.figure import Figure

    summary = verdict.bootstrap
    graphs = [g for g in [*LAYERS, "multiplex"] if g in set(summary["layer"])]
    shown = ["strength", "betweenness", "eigenvector"]
    figure = Figure(figsize=(3.2 * len(graphs), 3.6))
    axes = figure.subplots(1, len(graphs), sharey=True, squeeze=False)
    cities = list(verdict.members)
    for axis, graph in zip(axes[0], graphs):
        for offset, measure, marker in zip((-0.22, 0.0, 0.22), shown, ("o", "s", "^")):
            part = summary[(summary["layer"] == graph) & (summary["measure"] == measure)].set_index("city").reindex(cities)
            y = [i + offset for i in range(len(cities))]
            axis.hlines(y, part["rank_lo"], part["rank_hi"], color=COLOURS.get(graph), alpha=0.5)
            axis.plot(part["rank_median"], y, marker, markersize=4, label=measure, color=COLOURS.get(graph))
        share = verdict.central_share
        p = share[(share["layer"] == graph) & (share["leader"] == verdict.city)]["share"].sum()
        axis.set_title(f"{graph}\nP({_english(verdict, verdict.city)} central) = {p:.2f}", fontsize=9)
        axis.set_xlim(0.5, len(cities) + 0.5)
        axis.invert_xaxis()
        axis.set_xlabel("rank (95% bootstrap interval, median)", fontsize=8)
    axes[0][0].set_yticks(range(len(cities)), [_english(verdict, c) for c in cities])
    axes[0][0].legend(fontsize=7, loc="lower left")
    figure.suptitle(f"Edge bootstrap: {verdict.settings.get('n_boot')} resamples of the facts (seed "
                    f"{verdict.settings.get('seed')})", fontsize=10, y=1.08)
    return _png(figure)


def _map(verdict: Verdict, graphs: dict) -> bytes:
    from matplotlib.figure import Figure

    places = verdict.coordinates
    located = {c: (places.at[c, "lon"], places.at[c, "lat"]) for c in verdict.members
               if c in places.index and pd.notna(places.at[c, "lat"]) and pd.notna(places.at[c, "lon"])}
    missing = [c for c in verdict.members if c not in located]
    figure = Figure(figsize=(7.5, 6))
    axis = figure.subplots()
    hidden: dict[str, int] = {}
    for k, layer in enumerate(LAYERS):
        graph = graphs.get(layer)
        if graph is None or graph.number_of_edges() == 0:
            continue
        top = max(d["weight"] for _, _, d in graph.edges(data=True))
        first = True
        for u, v, data in graph.edges(data=True):
            if u not in located or v not in located:
                hidden[layer] = hidden.get(layer, 0) + 1
                continue
            (x1, y1), (x2, y2) = located[u], located[v]
            shift = (k - 1.5) * 0.012
            axis.plot([x1 + shift, x2 + shift], [y1 + shift, y2 + shift], color=COLOURS[layer],
                      alpha=0.45 if layer == "institutional" else 0.85,
                      linewidth=0.5 + 2.5 * data["weight"] / top, label=layer if first else None)
            first = False
    for city, (x, y) in located.items():
        axis.plot(x, y, "o", color="black" if city != verdict.city else "#c44e52", markersize=7, zorder=5)
        axis.annotate(_english(verdict, city), (x, y), textcoords="offset points", xytext=(5, 5), fontsize=9)
    note = ("No coordinates in the data for: " + ", ".join(_english(verdict, c) for c in missing)
            + "\n(not placed; links not drawn: " + (", ".join(f"{k} {n}" for k, n in hidden.items()) or "none") + ")"
            ) if missing else "All members placed."
    axis.text(0.01, 0.01, note, transform=axis.transAxes, fontsize=8, va="bottom",
              bbox={"facecolor": "white", "alpha": 0.8, "edgecolor": "#999999"})
    lats = [y for _, y in located.values()]
    if lats:
        axis.set_ylim(min(lats) - 0.45, max(lats) + 0.25)
    axis.set_xlabel("longitude (g60:lon)")
    axis.set_ylabel("latitude (g60:lat)")
    axis.set_aspect(1.15)
    axis.legend(fontsize=8, loc="upper right")
    axis.set_title("Member cities at their coordinates in the data; links coloured by layer, width by weight", fontsize=10)
    return _png(figure)


def report_figures(verdict: Verdict, graphs: dict) -> dict[str, bytes]:
    """The report's figures as PNG bytes: ``heatmap``, ``bootstrap``, ``map`` (drawn on
    matplotlib's object API: no backend is chosen for the process)."""
    if verdict.values.empty:
        return {}
    return {"heatmap": _heatmap(verdict), "bootstrap": _intervals(verdict), "map": _map(verdict, graphs)}


def _table_html(frame: pd.DataFrame) -> str:
    return frame.to_html(index=False, escape=True, na_rep="", border=0, classes="data")


def _sources_used(verdict: Verdict) -> pd.DataFrame:
    used = verdict.leave_one_source_out.get("source", pd.Series(dtype=str))
    names = sorted({s for text in verdict.evidence.get("sources", pd.Series(dtype=str)) for s in str(text).split(", ") if s}
                   | set(verdict.claims.get("source", [])) | set(used))
    frame = verdict.sources.reindex(names)[["title", "publisher", "date", "url", "kind"]].reset_index()
    return frame.rename(columns={"index": "source"})


def _evidence_view(verdict: Verdict) -> pd.DataFrame:
    evidence = verdict.evidence
    if evidence.empty:
        return evidence
    own = evidence[~evidence["corridor_wide"]].drop(columns=["corridor_wide"])
    wide = evidence[evidence["corridor_wide"]]
    summary = wide.groupby(["layer", "through"]).agg(other=("other", lambda s: f"all {len(set(s))} other members"),
                                                      kind=("kind", "first"), weight=("weight", "sum"),
                                                      sources=("sources", "first"), facts=("facts", "sum"),
                                                      quote=("quote", "first")).reset_index()
    return pd.concat([own, summary[own.columns]], ignore_index=True)


def render_html(verdicts: list[Verdict], figures: dict[str, bytes]) -> str:
    """The report as one HTML page with its figures inlined."""
    main = verdicts[0]
    parts = ["<!doctype html><html lang='zh'><head><meta charset='utf-8'>",
             "<title>G60: is 松江 the central node? (g60kg report)</title><style>",
             "body{font-family:system-ui,'Noto Sans CJK SC','PingFang SC',sans-serif;max-width:1100px;margin:2em auto;"
             "padding:0 1em;line-height:1.45;color:#222}table.data{border-collapse:collapse;font-size:13px;margin:1em 0}"
             "table.data td,table.data th{border-bottom:1px solid #ddd;padding:3px 6px;text-align:left;vertical-align:top}"
             "pre{white-space:pre-wrap;background:#f6f6f6;padding:1em}.verdict{font-size:1.4em;font-weight:bold}"
             "img{max-width:100%}</style></head><body>",
             "<h1>Is 松江 the central node (中心节点) of the G60 corridor?</h1>",
             "<p>The seed article (松江报, the district's own newspaper) says so. This report tests the claim on the "
             "city network built from every source in the graph, layer by layer. Generated by <code>g60kg report</code>.</p>"]
    for verdict in verdicts:
        parts.append(f"<h2>{html.escape(verdict.network)}, {html.escape(verdict.resolution)} resolution</h2>")
        parts.append(f"<p class='verdict'>Verdict: {html.escape(verdict.verdict)}</p>")
        parts.append(f"<pre>{html.escape(verdict.text())}</pre>")
    for name, title in (("heatmap", "Ranks by city, measure and layer"), ("bootstrap", "Bootstrap rank intervals"),
                        ("map", "The member cities and their links")):
        if name in figures:
            data = base64.b64encode(figures[name]).decode("ascii")
            parts.append(f"<h2>{title}</h2><img alt='{title}' src='data:image/png;base64,{data}'>")
    if not main.layers.empty:
        parts.append("<h2>Layers</h2>" + _table_html(main.layers))
        parts.append("<h2>Leave one source out</h2><p>Each source's facts dropped in turn; standing of "
                     f"{html.escape(main.name(main.city))} and the central node of each graph.</p>"
                     + _table_html(main.leave_one_source_out.assign(leader=main.leave_one_source_out["leader"].map(main.name))))
        parts.append("<h2>Null models</h2>" + _table_html(main.null))
        parts.append(f"<h2>Evidence: the ties of {html.escape(main.name(main.city))}</h2><p>Ties through corridor-wide "
                     "mechanisms (to which every member belongs) are summarized one row per mechanism.</p>"
                     + _table_html(_evidence_view(main)))
    parts.append("<h2>Sources</h2>" + _table_html(_sources_used(main)))
    parts.append("</body></html>")
    return "\n".join(parts)


def render_markdown(verdicts: list[Verdict], figure_files: dict[str, str]) -> str:
    """The report as Markdown, figures linked as files."""
    main = verdicts[0]
    lines = ["# Is 松江 the central node (中心节点) of the G60 corridor?", "",
             "The seed article (松江报, the district's own newspaper) says so. This report tests the claim on the city "
             "network built from every source in the graph, layer by layer. Generated by `g60kg report`.", ""]
    for verdict in verdicts:
        lines += [f"## {verdict.network}, {verdict.resolution} resolution", "", f"**Verdict: {verdict.verdict}**", "",
                  "```", verdict.text(), "```", ""]
    for name, path in figure_files.items():
        lines += [f"![{name}]({path})", ""]
    if not main.layers.empty:
        lines += ["## Layers", "", main.layers.to_markdown(index=False), "",
                  f"## Evidence: the ties of {main.name(main.city)}", "", _evidence_view(main).to_markdown(index=False), ""]
    lines += ["## Sources", "", _sources_used(main).to_markdown(index=False), ""]
    return "\n".join(lines)


def write_report(kg: Queryable, out_dir: str | Path = "out", *, city: str = "place/songjiang",
                 network: str = "nine-cities", resolutions: tuple[str, ...] = ("district", "shanghai"),
                 n_boot: int = 1000, n_null: int = 200, seed: int = 0) -> dict[str, Path]:
    """Run the verdict (each resolution, then the south-west five-district alliance) and
    write ``report.html``, ``report.md`` and the figures under ``out_dir``; returns the
    paths written."""
    from g60kg.network.cities import city_evidence, city_layers

    out = Path(out_dir)
    (out / "report-figures").mkdir(parents=True, exist_ok=True)
    verdicts = [central_node(kg, city=city, network=network, resolution=r, n_boot=n_boot, n_null=n_null, seed=seed)
                for r in resolutions]
    if network == "nine-cities":
        verdicts.append(central_node(kg, city=city, network="sw-five", n_boot=n_boot, n_null=n_null, seed=seed))
    graphs = city_layers(city_evidence(kg, network=network, resolution=resolutions[0]))
    figures = report_figures(verdicts[0], graphs)
    written: dict[str, Path] = {}
    files = {}
    for name, data in figures.items():
        path = out / "report-figures" / f"{name}.png"
        path.write_bytes(data)
        files[name] = f"report-figures/{name}.png"
        written[name] = path
    (out / "report.html").write_text(render_html(verdicts, figures), encoding="utf-8")
    (out / "report.md").write_text(render_markdown(verdicts, files), encoding="utf-8")
    written.update(html=out / "report.html", markdown=out / "report.md")
    return written
