"""Text normalization and Chinese numerals, shared by the loaders and the news extractor.
"""

from g60kg._lazy import exports

__all__, __getattr__, __dir__ = exports(__name__, {
    "clean_text": "normalize",
    "name_key": "normalize",
    "parse_date": "normalize",
    "parse_number": "normalize",
    "to_simplified": "normalize",
    "Quantity": "numbers",
    "find_quantities": "numbers",
    "parse_chinese_number": "numbers",
})
