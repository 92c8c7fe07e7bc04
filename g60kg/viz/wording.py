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
# Each text of a page: (Chinese, English).
UI = {
    "search": ("搜索名称或别名…", "Search a name or alias…"),
    "city": ("城市", "City"),
    "all_cities": ("全部城市", "all cities"),
    "classes": ("类别", "Classes"),
    "layers": ("关系层", "Layers"),
    "summary": ("显示 {nodes} / {all_nodes} 个节点，{edges} / {all_edges} 条边",
                "showing {nodes} of {all_nodes} nodes, {edges} of {all_edges} edges"),
    "cls": ("类别", "class"),
    "other_names": ("其他名称", "other names"),
    "measure": ("大小", "size"),
    "id": ("标识", "id"),
    "layer": ("层", "layer"),
    "weight": ("权重", "weight"),
    "more": ("另有 {n} 条引文未列出", "{n} more quotes not listed"),
    "quotes": ("引文（{n} 条）", "Quotes ({n})"),
    "prev": ("‹ 上一页", "‹ previous"),
    "next": ("下一页 ›", "next ›"),
    "page": ("第 {page} / {pages} 页", "page {page} of {pages}"),
    "table_row": ("表格行（按数字分列）", "a table row (split at its numbers)"),
    "as_published": ("原文", "as published"),
    "ties": ("关系", "ties"),
    "no_quotes": ("图中没有这一项的引文。", "No quote for this in the graph."),
    "no_match": ("没有匹配的名称", "no matching name"),
    "close": ("关闭", "close"),
    "physics": ("布局：浏览器力导向布局，稳定后停止。", "Layout: force-directed in the browser, stopped once settled."),
    "computed": ("布局：{n} 个节点，在 Python 中计算（按城市与类别分组），物理模拟关闭。",
                 "Layout: {n} nodes, computed in Python (by city and class); physics off."),
    "fixed": ("位置：数据中的坐标。", "Positions: the coordinates in the data."),
    "in_words": ("{ties} 条关系；按{by}在 {n} 个{cls}中排{rank}", "{ties} ties; {rank} of {n} {cls} by {by}"),
    "ties_word": ("关系数", "ties"),
    "tool_zoom_in": ("放大", "zoom in"),
    "tool_zoom_out": ("缩小", "zoom out"),
    "tool_fit": ("显示全部（重置视图）", "show all (reset the view)"),
    "tool_relayout": ("重新布局所显示的节点（其他操作都不移动节点）", "re-layout what is shown (nothing else moves a node)"),
    "basemap": ("底图（省界、海岸线）", "basemap (provinces, coastline)"),
    "loading": ("正在载入并绘制 {nodes} 个节点、{edges} 条边…", "loading and drawing {nodes} nodes, {edges} edges…"),
    "shared": ("全部 {n} 个城市共有的{layer}关系（{count} 项，画作背景，不逐对连线）：",
               "{layer} ties all {n} cities share ({count}; drawn as the background, not pair by pair): "),
    "menu": ("☰ 筛选", "☰ filters"),
    "nav_graph": ("图谱", "graph"),
    "nav_cities": ("城市", "cities"),
    "nav_alliances": ("联盟", "alliances"),
    "nav_report": ("报告", "report"),
    "nav_query": ("查询", "query"),
    "centre": ("居中", "centre here"),
    "expand": ("展开一步", "expand one hop"),
    "back": ("返回", "back"),
    "png": ("PNG 图片", "PNG image"),
    "csv_nodes": ("CSV 节点", "CSV nodes"),
    "csv_edges": ("CSV 关系", "CSV ties"),
    "export": ("导出所显示的内容", "export what is shown"),
    "year": ("截至 {year} 年首次报道的关系", "ties first reported by {year}"),
    "year_all": ("全部年份的关系", "ties of every year"),
    "drawing": ("正在绘制 {drawn} 个节点（共 {nodes} 个）…", "drawing {drawn} of {nodes} nodes…"),
    "summary_groups": ("；{groups} 组（城市 × 类别）各画作一个节点", "; {groups} groups (city × class) drawn as one node each"),
    "group_words": ("{n} 个节点合为一个，打开可见", "{n} nodes drawn as one; open it to see them"),
    "members": ("节点", "nodes"),
    "summed": ("{n} 条{layer}关系", "{n} {layer} ties"),
    "open_group": ("打开这一组", "open this group"),
    "close_group": ("合上所在的组", "close its group"),
    "opening": ("正在打开 {n} 个节点…", "opening {n} nodes…"),
    "adding_ties": ("正在画出关系：{drawn} 条，共 {ties} 条…", "drawing ties: {drawn} of {ties}…"),
}
