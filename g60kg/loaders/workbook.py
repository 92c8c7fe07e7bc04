"""XLSX tables read with openpyxl, cell by cell: every value as text, a formula cell a
located error (a workbook saved by a program other than a spreadsheet holds no computed
value for it, so it would read as empty), a file that is no workbook an error too."""

from __future__ import annotations

import datetime
import io
import zipfile
from pathlib import Path

import pandas as pd

from g60kg.errors import InputError, Location

__all__ = ["read_workbook"]


def _text(value: object) -> str:
    """A cell's value as the text a CSV of the sheet would hold.

    >>> [_text(v) for v in (None, 1998, 2.5, True, datetime.datetime(2019, 1, 2), "x")]
    ['', '1998', '2.5', 'TRUE', '2019-01-02', 'x']
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_workbook(path: Path, raw: bytes, sheet: str | int | None = None) -> pd.DataFrame:
    """The sheet ``sheet`` (a name or a 0-based index; the first when None) of the XLSX
    file ``path`` whose bytes are ``raw``, as a frame of strings under its first row.

    >>> from openpyxl import Workbook
    >>> book = Workbook(); book.active.append(["name", "founded"]); book.active.append(["腾讯", 1998])
    >>> out = io.BytesIO(); book.save(out)
    >>> read_workbook(Path("firms.xlsx"), out.getvalue()).to_dict("records")
    [{'name': '腾讯', 'founded': '1998'}]
    >>> book.active["B2"] = "=1997+1"; out = io.BytesIO(); book.save(out)
    >>> read_workbook(Path("firms.xlsx"), out.getvalue())
    Traceback (most recent call last):
    g60kg.errors.InputError: firms.xlsx:Sheet:2:founded: a formula (=1997+1), not a value: save the sheet with values only (paste as values)
    """
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=False)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError) as exc:
        raise InputError(Location(str(path)), f"not an XLSX workbook ({type(exc).__name__}: {exc})") from exc
    try:
        names = book.sheetnames
        name = names[sheet] if isinstance(sheet, int) and 0 <= sheet < len(names) else sheet or names[0]
        if name not in names:
            raise InputError(Location(str(path)), f"no sheet {sheet!r}; the workbook has {names}")
        where = f"{path}:{name}"
        sheet_data = book[name]
        # A workbook written by a program other than a spreadsheet may record a wrong size
        # for the sheet (the exchange's own export says A1): read every row it holds.
        sheet_data.reset_dimensions()
        rows = sheet_data.iter_rows()
        header_cells = next(rows, None)
        if header_cells is None:
            raise InputError(Location(where), "no header row: expected the column names in the first row")
        header = [_text(cell.value) for cell in header_cells]
        records = []
        for number, cells in enumerate(rows, start=2):
            values = []
            for column, cell in zip(header, cells):
                if cell.data_type == "f":
                    raise InputError(Location(where, number, column or None),
                                     f"a formula ({cell.value}), not a value: save the sheet with values only "
                                     "(paste as values)")
                values.append(_text(cell.value))
            records.append(values + [""] * (len(header) - len(values)))
    finally:
        book.close()
    while records and not any(records[-1]):  # a sheet's formatted but empty rows at its end
        records.pop()
    return pd.DataFrame(records, columns=header, dtype=object).astype(str)
