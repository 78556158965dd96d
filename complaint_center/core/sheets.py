"""Spreadsheet writing without Odoo: column specs, cell values, tables.

The XLSX exports (投诉台账, 扣款清单, the statistics workbook) hand plain
values to these helpers, which write them onto any worksheet-like object
offering ``write_string``, ``write_number``, ``write_formula`` and
``set_column`` (an xlsxwriter worksheet in production, a fake in tests).
Rows are written strictly top to bottom, as xlsxwriter's ``constant_memory``
mode requires.

Dates and datetimes are written as Excel serial numbers with a date format:
cheaper than ``write_datetime`` per cell, and read back as dates.
"""

import html
import re
from collections import namedtuple
from datetime import datetime, timedelta, timezone
from itertools import islice
from zoneinfo import ZoneInfo

from . import statistics

EXCEL_EPOCH = datetime(1899, 12, 30)
EXCEL_EPOCH_DATE = EXCEL_EPOCH.date()
TEXT_KINDS = frozenset({"text", "selection", "many2one", "bool"})
NUMBER_KINDS = frozenset(
    {"date", "datetime", "integer", "number", "money", "percent", "hours"}
)
KINDS = TEXT_KINDS | NUMBER_KINDS
# xlsxwriter's longest sheet name.
SHEET_NAME_MAX = 31

Column = namedtuple("Column", "key header width kind labels", defaults=(None,))
Column.__doc__ = """One column of a table.

``key``: the value's key in a row dict; ``header``: the header text;
``width``: in characters; ``kind``: one of ``KINDS``; ``labels``: for
``selection`` the key -> label mapping, for ``bool`` ``{True: yes,
False: no}``."""


# Rich text to a cell's plain text: block ends and line breaks become new
# lines, other tags go, entities are decoded.
_BREAKS = re.compile(r"<br\s*/?>|</(?:p|div|li|h[1-6]|tr|blockquote)\s*>", re.I)
_TAGS = re.compile(r"<[^>]*>")
_BLANK_LINES = re.compile(r"\n\s*\n+")


def html_text(value):
    """The plain text of an HTML field's value (``False``/``None`` stay
    empty): what a spreadsheet cell shows, without a parser per cell."""
    if not value:
        return None
    text = _TAGS.sub("", _BREAKS.sub("\n", str(value)))
    text = _BLANK_LINES.sub("\n", html.unescape(text).replace("\xa0", " "))
    return text.strip() or None


def chunked(items, size):
    """Yield successive lists of at most ``size`` items of ``items``."""
    if size < 1:
        raise ValueError(size)
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def excel_serial(value):
    """Excel's serial number (days since 1899-12-30) of a date or naive
    datetime."""
    if isinstance(value, datetime):
        return (value - EXCEL_EPOCH) / timedelta(days=1)
    return float((value - EXCEL_EPOCH_DATE).days)


def local_naive(value, tz_name):
    """A naive UTC datetime (as Odoo stores them) in the time zone
    ``tz_name``, naive again: spreadsheets know no time zones."""
    zone = ZoneInfo(tz_name or "UTC")
    return value.replace(tzinfo=timezone.utc).astimezone(zone).replace(tzinfo=None)


def utc_bounds(date_from, date_to, tz_name):
    """Naive UTC datetimes ``[start, end)`` covering the calendar days
    ``date_from`` to ``date_to`` (inclusive) in the time zone ``tz_name``."""
    return statistics.utc_bounds(date_from, date_to + timedelta(days=1), tz_name)


def converter(column, tz_name="UTC"):
    """A function turning a raw value (as Odoo's ``read`` returns it) into
    the cell value of ``column``; ``None`` for an empty cell."""
    kind = column.kind
    if kind not in KINDS:
        raise ValueError(kind)
    if kind == "bool":
        labels = column.labels or {True: "Yes", False: "No"}
        # None, not False, marks "not applicable": the cell stays empty.
        return lambda value: None if value is None else labels[bool(value)]
    if kind == "selection":
        labels = column.labels or {}
        return lambda value: labels.get(value, value) if value else None
    if kind == "many2one":
        return lambda value: value[1] if value else None
    if kind == "text":
        # Odoo reads an unset Char as False; zero is a value.
        return lambda value: (
            None if value is None or value is False or value == "" else str(value)
        )
    if kind == "datetime":
        zone = ZoneInfo(tz_name or "UTC")

        def to_serial(value):
            if not value:
                return None
            aware = value.replace(tzinfo=timezone.utc).astimezone(zone)
            return excel_serial(aware.replace(tzinfo=None))

        return to_serial
    if kind == "date":
        return lambda value: excel_serial(value) if value else None
    # Numbers: an unset value (False/None) is an empty cell, zero is zero.
    return lambda value: None if value is None or value is False else value


def cell_values(row, columns, converters):
    """The cell values of one row dict, in column order."""
    return [
        convert(row.get(col.key))
        for col, convert in zip(columns, converters, strict=True)
    ]


def rows_from_columns(values, columns, converters):
    """Rows of cell values from column-wise raw values: ``values`` maps each
    column key to the list of its values, one per row (the fast way to read
    many records). Converting a whole column at once costs less per cell."""
    converted = [
        list(map(convert, values[column.key]))
        for column, convert in zip(columns, converters, strict=True)
    ]
    return list(zip(*converted, strict=True))


def write_header(sheet, columns, row, header_format=None):
    """Column widths and the header row at ``row``; returns the next row."""
    for index, column in enumerate(columns):
        sheet.set_column(index, index, column.width)
        sheet.write_string(row, index, column.header, header_format)
    return row + 1


def _writers(sheet, columns, formats):
    writers = []
    for column in columns:
        fmt = formats.get(column.kind)
        if column.kind in TEXT_KINDS:
            writers.append((sheet.write_string, fmt))
        else:
            writers.append((sheet.write_number, fmt))
    return writers


def write_rows(sheet, columns, rows, formats, first_row):
    """Write ``rows`` (lists of cell values, as ``cell_values`` gives) from
    ``first_row`` on; empty cells (``None``) are skipped. ``formats`` maps a
    column kind to its cell format. Returns the next free row."""
    writers = _writers(sheet, columns, formats)
    row_index = first_row
    for values in rows:
        for col_index, value in enumerate(values):
            if value is not None:
                write, fmt = writers[col_index]
                write(row_index, col_index, value, fmt)
        row_index += 1
    return row_index


def column_letter(index):
    """``0`` -> ``A``, ``27`` -> ``AB``."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def sum_formula(col_index, first_row, last_row):
    """``=SUM(B2:B9)`` over 0-based rows ``first_row``..``last_row``."""
    letter = column_letter(col_index)
    return f"=SUM({letter}{first_row + 1}:{letter}{last_row + 1})"


def write_total_row(sheet, row, label, sums, first_row, formats):
    """A total row at ``row``: ``label`` in the first column, then for each
    ``col_index: (value, kind)`` of ``sums`` a SUM formula over
    ``first_row``..``row - 1`` carrying ``value`` as its cached result (so a
    reader without a calculation engine sees it). An empty range gets the
    value only. Returns the next row."""
    sheet.write_string(row, 0, label, formats.get("total_label"))
    for col_index, (value, kind) in sorted(sums.items()):
        fmt = formats.get(f"total_{kind}") or formats.get(kind)
        if row > first_row:
            formula = sum_formula(col_index, first_row, row - 1)
            sheet.write_formula(row, col_index, formula, fmt, value)
        else:
            sheet.write_number(row, col_index, value, fmt)
    return row + 1


def grouped_rows(rows, key, sum_keys):
    """Rows (dicts) sorted by ``key`` with a subtotal after each group.

    Yields ``("row", row)`` and ``("subtotal", group_value, sums)`` items,
    then one ``("total", None, sums)``; ``sums`` maps each of ``sum_keys``
    to the sum of its values (unset values count as zero). Groups come in
    order of first appearance, so the caller chooses their order."""
    groups = {}
    for row in rows:
        groups.setdefault(row.get(key), []).append(row)
    total = dict.fromkeys(sum_keys, 0)
    for group_value, members in groups.items():
        sums = dict.fromkeys(sum_keys, 0)
        for row in members:
            yield ("row", row)
            for name in sum_keys:
                sums[name] += row.get(name) or 0
        for name in sum_keys:
            total[name] += sums[name]
        yield ("subtotal", group_value, sums)
    yield ("total", None, total)


def sheet_name(name, used=()):
    """A valid, unique worksheet name from ``name``: forbidden characters
    replaced, at most 31 characters."""
    cleaned = "".join("_" if char in "[]:*?/\\" else char for char in name).strip()
    cleaned = cleaned.strip("'")[:SHEET_NAME_MAX] or "Sheet"
    candidate, number = cleaned, 1
    while candidate.lower() in {other.lower() for other in used}:
        number += 1
        suffix = f" ({number})"
        candidate = cleaned[: SHEET_NAME_MAX - len(suffix)] + suffix
    return candidate


# Columns of a breakdown table: (key, kind).
BREAKDOWN_KEYS = (
    ("label", "text"),
    ("count", "integer"),
    ("previous", "integer"),
    ("change", "integer"),
    ("share", "percent"),
)


def write_breakdown(
    sheet, headers, items, formats, first_row, total_label, count_kind="integer"
):
    """A breakdown table (e.g. complaints per category): header, one row per
    item (dicts with ``label``, ``count``, ``previous``, ``change``,
    ``share``), then a total row. ``headers`` gives the five header texts;
    ``count_kind`` the kind of the three count columns (``number`` for
    counts weighted by a share).

    Returns ``{"header_row", "first_row", "last_row", "total_row",
    "next_row"}`` (0-based; ``last_row < first_row`` when there are no
    items), what a chart needs to point at the data."""
    columns = [
        Column(
            key,
            header,
            40 if kind == "text" else 12,
            count_kind if kind == "integer" else kind,
        )
        for (key, kind), header in zip(BREAKDOWN_KEYS, headers, strict=True)
    ]
    header_row = first_row
    data_row = write_header(sheet, columns, header_row, formats.get("header"))
    converters = [converter(col) for col in columns]
    rows = [cell_values(item, columns, converters) for item in items]
    total_row = write_rows(sheet, columns, rows, formats, data_row)
    count = sum(item["count"] for item in items)
    previous = sum(item["previous"] for item in items)
    sums = {
        1: (count, count_kind),
        2: (previous, count_kind),
        3: (count - previous, count_kind),
    }
    write_total_row(sheet, total_row, total_label, sums, data_row, formats)
    if count:
        sheet.write_number(
            total_row, 4, 1.0, formats.get("total_percent") or formats.get("percent")
        )
    return {
        "header_row": header_row,
        "first_row": data_row,
        "last_row": total_row - 1,
        "total_row": total_row,
        "next_row": total_row + 1,
    }


def chart_series(sheet_title, table, name, value_col=1, label_col=0):
    """The ``add_series`` spec of a chart over a ``write_breakdown`` table:
    labels of ``label_col`` against the values of ``value_col``."""
    first, last = table["first_row"], table["last_row"]
    return {
        "name": name,
        "categories": [sheet_title, first, label_col, last, label_col],
        "values": [sheet_title, first, value_col, last, value_col],
    }


def add_chart(workbook, sheet, anchor, spec, chart_type="column"):
    """Insert a chart with one series ``spec`` (see ``chart_series``) at the
    cell ``anchor`` of ``sheet``; a table without rows gets no chart.
    Returns the chart, or ``None``."""
    if spec["values"][3] < spec["values"][1]:
        return None
    chart = workbook.add_chart({"type": chart_type})
    chart.add_series(spec)
    chart.set_title({"name": spec["name"]})
    chart.set_legend({"none": chart_type != "pie"})
    sheet.insert_chart(anchor, chart)
    return chart


def change_of(current, previous):
    """``current - previous``, or ``None`` when either is unknown."""
    if current is None or previous is None:
        return None
    return current - previous


def write_metrics(sheet, headers, metrics, formats, first_row):
    """A summary table: header (``headers``: label, value, previous,
    change), then one row per ``(label, kind, value, previous)`` of
    ``metrics``; unknown values (``None``) stay empty. Returns the next
    row."""
    columns = [
        Column("label", headers[0], 40, "text"),
        Column("value", headers[1], 14, "number"),
        Column("previous", headers[2], 14, "number"),
        Column("change", headers[3], 14, "number"),
    ]
    row = write_header(sheet, columns, first_row, formats.get("header"))
    for label, kind, value, previous in metrics:
        fmt = formats.get(kind)
        sheet.write_string(row, 0, label, formats.get("text"))
        for col, number in (
            (1, value),
            (2, previous),
            (3, change_of(value, previous)),
        ):
            if number is not None:
                sheet.write_number(row, col, number, fmt)
        row += 1
    return row
