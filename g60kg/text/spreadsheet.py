"""Cells that a spreadsheet would run as formulas, written so it shows them as text.

A CSV or TSV cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return is a formula to Excel, LibreOffice and Google Sheets (``=HYPERLINK(...)`` sends
data away when clicked). Such a cell gets a leading apostrophe, the spreadsheets' own
mark for "text"; a plain number such as ``-1.5`` is left as it is. The mark is
reversible: a cell that already starts with apostrophes before such a character gets one
more, so ``restore`` gives back exactly what was written. XLSX needs no mark: its cells
are typed, and a text cell is never run (``text_cells``).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["neutralize", "restore", "neutralized", "restored", "text_cells"]

_FORMULA = re.compile(r"'*[=+\-@\t\r]")
_MARKED = re.compile(r"'+[=+\-@\t\r]")
_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")


def neutralize(cell: str) -> str:
    """The cell as a spreadsheet shows it as text.

    >>> [neutralize(c) for c in ["=1+1", "@SUM(A1)", "-1.5", "-1+2", "'=x", "plain", ""]]
    ["'=1+1", "'@SUM(A1)", '-1.5', "'-1+2", "''=x", 'plain', '']
    """
    if _FORMULA.match(cell) and not _NUMBER.fullmatch(cell):
        return "'" + cell
    return cell


def restore(cell: str) -> str:
    """The cell as it was before ``neutralize``.

    >>> all(restore(neutralize(c)) == c for c in ["=1+1", "-1.5", "'=x", "''+y", "'plain", "\\t=z"])
    True
    """
    return cell[1:] if _MARKED.match(cell) else cell


def _each_text(frame: pd.DataFrame, change: Any) -> pd.DataFrame:
    import pandas as pd  # here, not at import: the endpoint's workers use ``neutralize`` and start fast

    out = frame.copy()
    for column in out.columns:
        if pd.api.types.is_object_dtype(out[column]) or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(lambda v: change(v) if isinstance(v, str) else v)
    out.columns = [change(c) if isinstance(c, str) else c for c in out.columns]
    return out


def neutralized(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` with each text cell and column name ``neutralize``\\ d.

    >>> import pandas as pd
    >>> neutralized(pd.DataFrame({"name": ["=cmd|' /C calc'!A0", "ok"], "n": [-1, 2]})).to_dict("list")
    {'name': ["'=cmd|' /C calc'!A0", 'ok'], 'n': [-1, 2]}
    """
    return _each_text(frame, neutralize)


def restored(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` with each text cell and column name ``restore``\\ d.

    >>> import pandas as pd
    >>> restored(pd.DataFrame({"a": ["'=x", "''=y", "'z"]}))["a"].tolist()
    ['=x', "'=y", "'z"]
    """
    return _each_text(frame, restore)


def text_cells(sheet: Any) -> None:
    """Mark every cell of an openpyxl worksheet that openpyxl took for a formula (a
    text starting with ``=``) as the text it is, so the workbook holds no formula.

    >>> from openpyxl import Workbook
    >>> sheet = Workbook().active; sheet["A1"] = "=1+1"; text_cells(sheet)
    >>> sheet["A1"].data_type, sheet["A1"].value
    ('s', '=1+1')
    """
    for row in sheet.iter_rows():
        for cell in row:
            if cell.data_type == "f":
                cell.data_type = "s"
