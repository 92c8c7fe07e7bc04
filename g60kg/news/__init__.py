"""Chinese news articles to candidate facts and a review table.
"""

from g60kg._lazy import exports

__all__, __getattr__, __dir__ = exports(__name__, {
    "Entity": "extraction",
    "Extraction": "extraction",
    "extract": "extraction",
    "extract_review": "review",
})
