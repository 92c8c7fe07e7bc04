"""Centrality, resampling and the verdict on the central-node claim, and its report.
"""

from g60kg._lazy import exports

__all__, __getattr__, __dir__ = exports(__name__, {
    "MEASURES": "centrality",
    "centrality_table": "centrality",
    "multiplex_aggregate": "centrality",
    "Verdict": "verdict",
    "central_node": "verdict",
    "VERDICTS": "verdict",
    "write_report": "report",
    "ClaimVerdict": "claim",
    "central_node_claim": "claim",
    "timeline": "claim",
    "LayerFinding": "layers",
    "assess_layer": "layers",
    "decide_layers": "layers",
    "verdict_text": "wording",
    "timeline_text": "wording",
    "core_periphery": "coreperiphery",
    "qap": "permutation",
})
