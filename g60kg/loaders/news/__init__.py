"""Chinese news articles to candidate facts, a review table, and reviewed facts."""

from g60kg.loaders.news.extraction import Entity, Extraction, extract

__all__ = ["Entity", "Extraction", "extract"]
