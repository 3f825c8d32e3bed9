"""The Excel workbook of `nianbao compare --format xlsx`: one sheet per view (league table, missing
reports, open flags, regions), Chinese headers, frozen header row, filters, conditional colours."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name

from nianbao.supervise.compliance import (
    FLAG_COLUMNS,
    LEAGUE_COLUMNS,
    REGION_COLUMNS,
    STRUCTURE_COLUMNS,
    ComplianceRow,
    FlagRow,
    StructureRow,
    labels,
    region_summary,
)
from nianbao.supervise.league_view import INT_COLUMNS, RATE_COLUMNS, column_label, display_value

WIDE_COLUMNS = {"agency": 30, "message": 60, "note": 70, "section": 30, "place": 20, "evidence": 40, "source": 40, "flag_rules": 24, "show": 36,
                "region": 28}


def _value(column: str, value: Any) -> Any:
    """Numbers and dates stay numbers and dates (Excel sorts and sums them); codes become words."""
    if value is None:
        return None
    if column in RATE_COLUMNS or column in INT_COLUMNS or isinstance(value, date):
        return value
    return display_value(column, value)


def _write_sheet(book: xlsxwriter.Workbook, name: str, columns: Sequence[str], rows: Sequence[Any],
                 formats: dict[str, Any], header: Callable[[str], str] = column_label) -> Any:
    sheet = book.add_worksheet(name)
    for j, column in enumerate(columns):
        sheet.write_string(0, j, header(column), formats["header"])
        sheet.set_column(j, j, WIDE_COLUMNS.get(column, 12 if column not in RATE_COLUMNS else 10),
                         formats["percent"] if column in RATE_COLUMNS else
                         formats["date"] if column in ("published_on", "signed_on", "deadline") else None)
    for i, row in enumerate(rows, start=1):
        for j, column in enumerate(columns):
            value = _value(column, row.value(column))
            if value is None:
                sheet.write_blank(i, j, None)
            elif isinstance(value, date):
                sheet.write_datetime(i, j, value, formats["date"])
            elif isinstance(value, int | float) and not isinstance(value, bool):
                sheet.write_number(i, j, value, formats["percent"] if column in RATE_COLUMNS else None)
            else:
                sheet.write_string(i, j, str(value))
    # Header row and the agency column stay in view.
    sheet.freeze_panes(1, 2 if len(columns) > 2 else 0)
    sheet.autofilter(0, 0, max(len(rows), 1), len(columns) - 1)
    return sheet


def _colour(sheet: Any, columns: Sequence[str], n_rows: int, formats: dict[str, Any]) -> None:
    if n_rows == 0:
        return
    lb = labels()
    for j, column in enumerate(columns):
        rng = f"{xl_col_to_name(j)}2:{xl_col_to_name(j)}{n_rows + 1}"
        if column == "status":
            sheet.conditional_format(rng, {"type": "cell", "criteria": "==",
                                           "value": f'"{lb.statuses["missing"]}"', "format": formats["bad"]})
        elif column == "on_time":
            sheet.conditional_format(rng, {"type": "cell", "criteria": "==",
                                           "value": f'"{lb.on_time["late"]}"', "format": formats["bad"]})
            sheet.conditional_format(rng, {"type": "cell", "criteria": "==",
                                           "value": f'"{lb.on_time["unknown"]}"', "format": formats["muted"]})
        elif column == "format_ok":
            sheet.conditional_format(rng, {"type": "cell", "criteria": "==", "value": f'"{lb.no}"',
                                           "format": formats["warn"]})
        elif column in ("open_errors", "n_missing", "n_late"):
            sheet.conditional_format(rng, {"type": "cell", "criteria": ">", "value": 0, "format": formats["bad"]})
        elif column in ("open_warnings", "n_flags", "violations"):
            sheet.conditional_format(rng, {"type": "cell", "criteria": ">", "value": 0, "format": formats["warn"]})
        elif column == "severity":
            sheet.conditional_format(rng, {"type": "text", "criteria": "begins with", "value": "error",
                                           "format": formats["bad"]})
            sheet.conditional_format(rng, {"type": "text", "criteria": "begins with", "value": "warn",
                                           "format": formats["warn"]})
        elif column == "disclosure_rate":
            sheet.conditional_format(rng, {"type": "3_color_scale", "min_color": "#F8696B",
                                           "mid_color": "#FFEB84", "max_color": "#63BE7B"})


def write_workbook(path: str | Path, rows: Sequence[ComplianceRow], flags: Sequence[FlagRow],
                   structure: Sequence[StructureRow] = ()) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    lb = labels()
    book = xlsxwriter.Workbook(str(path))
    formats = {
        "header": book.add_format({"bold": True, "bg_color": "#EEEEEE", "border": 1, "text_wrap": True}),
        "percent": book.add_format({"num_format": "0.0%"}),
        "date": book.add_format({"num_format": "yyyy-mm-dd"}),
        "bad": book.add_format({"bg_color": "#FFCDD2", "font_color": "#B71C1C"}),
        "warn": book.add_format({"bg_color": "#FFF3C4"}),
        "muted": book.add_format({"font_color": "#9E9E9E"}),
    }
    missing = [r for r in rows if r.status == "missing"]
    missing_columns = ("year", "agency", "province", "city", "county", "region_code", "level", "category",
                       "deadline")
    views: list[tuple[str, Sequence[str], Sequence[Any]]] = [
        (lb.sheets["league"], LEAGUE_COLUMNS, rows),
        (lb.sheets["missing"], missing_columns, missing),
        (lb.sheets["flags"], FLAG_COLUMNS, flags),
        (lb.sheets["regions"], REGION_COLUMNS, region_summary(rows)),
    ]
    for name, columns, data in views:
        sheet = _write_sheet(book, name, columns, data, formats)
        _colour(sheet, columns, len(data), formats)
    # The structure notes of the reports: rows or columns the format lacks or adds, tables read
    # without their markup, a second report in one file.
    _write_sheet(book, lb.sheets["structure"], STRUCTURE_COLUMNS, structure, formats,
                 header=lambda c: lb.structure_columns.get(c) or column_label(c))
    book.close()
    return path
