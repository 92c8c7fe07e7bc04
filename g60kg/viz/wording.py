"""The words of a page, in Chinese and English: its controls, its summaries and the
names of the centrality measures, and the pages of its top bar."""

from __future__ import annotations

__all__ = ["NAV", "ICONS", "MEASURE_NAMES", "UI"]

MEASURE_NAMES = {"degree": "度中心性", "strength": "强度", "betweenness": "中介中心性", "closeness": "接近中心性",
                 "harmonic": "调和中心性", "eigenvector": "特征向量中心性", "pagerank": "PageRank"}  # in Chinese
# The pages of the top bar, as written side by side in one folder; the query page
# ("query": "/") is shown only when the page is served over HTTP.
NAV = {"graph": "graph.html", "cities": "cities.html", "alliances": "alliances.html", "report": "report.html",
       "query": "/"}
ICONS = {"icon_zoom_in": "+", "icon_zoom_out": "−", "icon_fit": "⤢", "icon_relayout": "↻"}
UI = {
    "zh": {"search": "搜索名称或别名…", "city": "城市", "all_cities": "全部城市", "classes": "类别", "layers": "关系层",
           "summary": "显示 {nodes} / {all_nodes} 个节点，{edges} / {all_edges} 条边", "cls": "类别",
           "other_names": "其他名称", "measure": "大小", "id": "标识", "layer": "层", "weight": "权重",
           "more": "另有 {n} 条引文未列出", "quotes": "引文（{n} 条）", "prev": "‹ 上一页", "next": "下一页 ›",
           "page": "第 {page} / {pages} 页", "table_row": "表格行（按数字分列）", "as_published": "原文", "ties": "关系",
           "no_quotes": "图中没有这一项的引文。", "no_match": "没有匹配的名称",
           "close": "关闭", "physics": "布局：浏览器力导向布局，稳定后停止。",
           "computed": "布局：{n} 个节点，在 Python 中计算（igraph），物理模拟关闭。",
           "fixed": "位置：数据中的坐标。",
           "in_words": "{ties} 条关系；按{by}在 {n} 个{cls}中排{rank}", "ties_word": "关系数",
           "tool_zoom_in": "放大", "tool_zoom_out": "缩小", "tool_fit": "显示全部（重置视图）",
           "tool_relayout": "重新布局所显示的节点（其他操作都不移动节点）",
           "basemap": "底图（省界、海岸线）", "loading": "正在载入并绘制 {nodes} 个节点、{edges} 条边…",
           "shared": "全部 {n} 个城市共有的{layer}关系（{count} 项，画作背景，不逐对连线）：", "menu": "☰ 筛选", "nav_graph": "图谱", "nav_cities": "城市", "nav_alliances": "联盟", "nav_report": "报告", "nav_query": "查询",
           "centre": "居中", "expand": "展开一步", "back": "返回", "png": "PNG 图片", "csv_nodes": "CSV 节点",
           "csv_edges": "CSV 关系", "export": "导出所显示的内容", "year": "截至 {year} 年首次报道的关系",
           "year_all": "全部年份的关系"},
    "en": {"search": "Search a name or alias…", "city": "City", "all_cities": "all cities", "classes": "Classes",
           "layers": "Layers", "summary": "showing {nodes} of {all_nodes} nodes, {edges} of {all_edges} edges",
           "cls": "class", "other_names": "other names", "measure": "size", "id": "id", "layer": "layer",
           "weight": "weight", "more": "{n} more quotes not listed", "quotes": "Quotes ({n})", "prev": "‹ previous", "next": "next ›",
           "page": "page {page} of {pages}", "table_row": "a table row (split at its numbers)", "as_published": "as published",
           "ties": "ties", "no_quotes": "No quote for this in the graph.",
           "no_match": "no matching name", "close": "close",
           "physics": "Layout: force-directed in the browser, stopped once settled.",
           "computed": "Layout: {n} nodes, computed in Python (igraph); physics off.",
           "fixed": "Positions: the coordinates in the data.",
           "in_words": "{ties} ties; {rank} of {n} {cls} by {by}", "ties_word": "ties",
           "tool_zoom_in": "zoom in", "tool_zoom_out": "zoom out", "tool_fit": "show all (reset the view)",
           "tool_relayout": "re-layout what is shown (nothing else moves a node)",
           "basemap": "basemap (provinces, coastline)", "loading": "loading and drawing {nodes} nodes, {edges} edges…",
           "shared": "{layer} ties all {n} cities share ({count}; drawn as the background, not pair by pair): ",
           "menu": "☰ filters", "nav_graph": "graph", "nav_cities": "cities", "nav_alliances": "alliances", "nav_report": "report",
           "nav_query": "query", "centre": "centre here", "expand": "expand one hop", "back": "back", "png": "PNG image",
           "csv_nodes": "CSV nodes", "csv_edges": "CSV ties", "export": "export what is shown",
           "year": "ties first reported by {year}", "year_all": "ties of every year"},
}
