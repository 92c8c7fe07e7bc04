"""XLSX tables read with openpyxl and XLS (Excel 97-2003) tables with xlrd, cell by cell:
every value as text, a formula cell of an XLSX file a located error (a workbook saved by a
program other than a spreadsheet holds no computed value for it, so it would read as
empty), a file that is no workbook an error too."""

from __future__ import annotations

import datetime
import io
import zipfile
from pathlib import Path

import pandas as pd

from g60kg.errors import InputError, Location

__all__ = ["read_workbook", "read_xls", "with_header_row"]


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


def read_xls(path: Path, raw: bytes, sheet: str | int | None = None) -> pd.DataFrame:
    """The sheet ``sheet`` (a name or a 0-based index; the first when None) of the XLS
    (Excel 97-2003) file ``path`` whose bytes are ``raw``, as a frame of strings under its
    first row; a date cell reads as its ISO date, a whole number without ``.0``.

    >>> read_xls(Path("list.xls"), b"not a workbook")
    Traceback (most recent call last):
    g60kg.errors.InputError: list.xls: not an XLS workbook (XLRDError: Unsupported format, or corrupt file: Expected BOF record; found b'not a wo')
    """
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=raw)
    except (xlrd.XLRDError, xlrd.compdoc.CompDocError, ValueError, IndexError, AssertionError) as exc:
        raise InputError(Location(str(path)), f"not an XLS workbook ({type(exc).__name__}: {exc})") from exc
    names = book.sheet_names()
    name = names[sheet] if isinstance(sheet, int) and 0 <= sheet < len(names) else sheet or names[0]
    if name not in names:
        raise InputError(Location(str(path)), f"no sheet {sheet!r}; the workbook has {names}")
    table = book.sheet_by_name(name)

    def text(cell: xlrd.sheet.Cell) -> str:
        if cell.ctype == xlrd.XL_CELL_DATE:
            return _text(xlrd.xldate_as_datetime(cell.value, book.datemode))
        return _text(bool(cell.value) if cell.ctype == xlrd.XL_CELL_BOOLEAN else cell.value)

    rows = [[text(cell) for cell in table.row(i)] for i in range(table.nrows)]
    if not rows:
        raise InputError(Location(f"{path}:{name}"), "no header row: expected the column names in the first row")
    header, records = rows[0], rows[1:]
    while records and not any(records[-1]):
        records.pop()
    return pd.DataFrame(records, columns=header, dtype=object).astype(str)


def with_header_row(frame: pd.DataFrame, header_row: int, where: str) -> pd.DataFrame:
    """``frame`` (read with the file's first row as its header) re-read with row
    ``header_row`` of the file as the header: the rows above it (a title, a note) are
    dropped, and each row keeps its index as ``file row - 2`` so that messages name the
    row of the file.

    >>> f = pd.DataFrame([["", ""], ["学校名称", "所在地"], ["苏州大学", "苏州市"]], columns=["名单", ""])
    >>> out = with_header_row(f, 3, "list.xls")
    >>> out.to_dict("records"), out.index.tolist()
    ([{'学校名称': '苏州大学', '所在地': '苏州市'}], [2])
    >>> with_header_row(f, 9, "list.xls")
    Traceback (most recent call last):
    g60kg.errors.InputError: list.xls: the mapping puts the header on row 9, but the table ends at row 4
    """
    if header_row == 1:
        return frame
    if header_row - 2 >= len(frame):
        raise InputError(Location(where), f"the mapping puts the header on row {header_row}, but the table ends at "
                                          f"row {len(frame) + 1}")
    header = [str(v).strip() for v in frame.iloc[header_row - 2].tolist()]
    body = frame.iloc[header_row - 1:].copy()
    body.columns = header
    body.index = range(header_row - 1, header_row - 1 + len(body))
    return body
