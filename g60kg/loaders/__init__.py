"""Sources to RDF: tables with mappings, RDF files, normalization and provenance."""

from g60kg.loaders.assemble import Assembly, TableInput, assemble, bundled_mappings
from g60kg.loaders.mapping import Mapping, load_mapping
from g60kg.loaders.normalize import clean_text, name_key, parse_date, parse_number, to_simplified
from g60kg.loaders.tables import read_table

__all__ = ["Assembly", "TableInput", "assemble", "bundled_mappings", "Mapping", "load_mapping", "clean_text",
           "name_key", "parse_date", "parse_number", "to_simplified", "read_table"]
