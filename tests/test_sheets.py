import io
import zipfile
from datetime import date, datetime

import openpyxl
import pytest
import xlsxwriter
from cc_core.sheets import (
    Column,
    add_chart,
    cell_values,
    change_of,
    chart_series,
    chunked,
    column_letter,
    converter,
    excel_serial,
    grouped_rows,
    html_text,
    local_naive,
    rows_from_columns,
    sheet_name,
    sum_formula,
    utc_bounds,
    write_breakdown,
    write_header,
    write_metrics,
    write_rows,
    write_total_row,
)

COLUMNS = [
    Column("name", "Reference", 16, "text"),
    Column("date_received", "Received", 18, "datetime"),
    Column("channel", "Channel", 12, "selection", {"phone": "电话", "web": "网站"}),
    Column("partner_id", "Customer", 24, "many2one"),
    Column("is_repeat", "Repeat", 8, "bool", {True: "是", False: "否"}),
    Column("escalation_level", "Level", 8, "integer"),
    Column("compensation_amount", "Compensation", 12, "money"),
    Column("date_deadline", "Due", 12, "date"),
]
ROW = {
    "name": "CP-2026-0001",
    # 02:30 UTC is 10:30 in Shanghai.
    "date_received": datetime(2026, 10, 31, 2, 30),
    "channel": "phone",
    "partner_id": (7, "Acme Foods 食品"),
    "is_repeat": True,
    "escalation_level": 0,
    "compensation_amount": 12.5,
    "date_deadline": date(2026, 11, 3),
}


class FakeSheet:
    """Records every call a writer makes, as (row, col) -> (value, fmt)."""

    def __init__(self):
        self.cells = {}
        self.widths = {}
        self.formulas = {}
        self.charts = []

    def write_string(self, row, col, value, fmt=None):
        assert isinstance(value, str)
        self.cells[row, col] = (value, fmt)

    def write_number(self, row, col, value, fmt=None):
        assert isinstance(value, int | float) and not isinstance(value, bool)
        self.cells[row, col] = (value, fmt)

    def write_formula(self, row, col, formula, fmt=None, value=0):
        self.formulas[row, col] = formula
        self.cells[row, col] = (value, fmt)

    def set_column(self, first, last, width):
        self.widths[first] = width

    def insert_chart(self, anchor, chart):
        self.charts.append((anchor, chart))


class FakeChart:
    def __init__(self, options):
        self.options = options
        self.series = []

    def add_series(self, spec):
        self.series.append(spec)

    def set_title(self, title):
        self.title = title

    def set_legend(self, legend):
        self.legend = legend


class FakeWorkbook:
    def add_chart(self, options):
        return FakeChart(options)


def _converters(tz="Asia/Shanghai"):
    return [converter(col, tz) for col in COLUMNS]


def test_chunked():
    assert list(chunked(range(5), 2)) == [[0, 1], [2, 3], [4]]
    assert list(chunked([], 3)) == []
    with pytest.raises(ValueError):
        list(chunked([1], 0))


def test_excel_serial():
    assert excel_serial(date(1900, 3, 1)) == 61.0
    assert excel_serial(datetime(2026, 1, 1, 12, 0)) == 46023.5


def test_local_naive_and_utc_bounds():
    assert local_naive(datetime(2026, 10, 31, 16, 30), "Asia/Shanghai") == datetime(
        2026, 11, 1, 0, 30
    )
    assert local_naive(datetime(2026, 10, 31, 16, 30), False) == datetime(
        2026, 10, 31, 16, 30
    )
    start, end = utc_bounds(date(2026, 10, 1), date(2026, 10, 31), "Asia/Shanghai")
    assert start == datetime(2026, 9, 30, 16, 0)
    assert end == datetime(2026, 10, 31, 16, 0)
    # Across a daylight-saving change the bounds follow the local midnight.
    start, end = utc_bounds(date(2026, 3, 1), date(2026, 3, 31), "Europe/Paris")
    assert (start.hour, end.hour) == (23, 22)


def test_converters():
    values = cell_values(ROW, COLUMNS, _converters())
    received = datetime(2026, 10, 31, 10, 30)
    assert values == [
        "CP-2026-0001",
        excel_serial(received),
        "电话",
        "Acme Foods 食品",
        "是",
        0,
        12.5,
        excel_serial(date(2026, 11, 3)),
    ]


def test_converters_leave_unset_values_empty():
    row = dict.fromkeys(ROW, False)
    row["is_repeat"] = None  # not applicable: no mark at all
    values = cell_values(row, COLUMNS, _converters())
    assert values == [None] * len(COLUMNS)
    # False is "No" for a boolean; an unknown selection key shows as is.
    bool_conv = converter(COLUMNS[4])
    assert bool_conv(False) == "否"
    assert converter(COLUMNS[2])("fax") == "fax"
    assert converter(Column("x", "X", 5, "bool"))(True) == "Yes"
    text = converter(Column("x", "X", 5, "text"))
    assert (text(0), text(False), text(""), text(None)) == ("0", None, None, None)
    number = converter(Column("x", "X", 5, "integer"))
    assert (number(0), number(False), number(None)) == (0, None, None)


def test_rows_from_columns_equal_cell_values():
    empty = dict.fromkeys(ROW, False)
    empty["is_repeat"] = None
    by_column = {key: [ROW[key], empty[key]] for key in ROW}
    rows = rows_from_columns(by_column, COLUMNS, _converters())
    assert [list(row) for row in rows] == [
        cell_values(ROW, COLUMNS, _converters()),
        cell_values(empty, COLUMNS, _converters()),
    ]
    assert rows_from_columns({key: [] for key in ROW}, COLUMNS, _converters()) == []


def test_converter_refuses_unknown_kind():
    with pytest.raises(ValueError):
        converter(Column("x", "X", 5, "colour"))


def test_write_header_and_rows_on_a_fake():
    sheet = FakeSheet()
    formats = {"datetime": "DT", "money": "M", "date": "D"}
    row = write_header(sheet, COLUMNS, 2, "H")
    assert row == 3
    assert sheet.cells[2, 0] == ("Reference", "H")
    assert sheet.widths[3] == 24
    rows = [cell_values(ROW, COLUMNS, _converters())]
    empty = dict.fromkeys(ROW, False)
    empty["is_repeat"] = None
    rows.append(cell_values(empty, COLUMNS, _converters()))
    assert write_rows(sheet, COLUMNS, rows, formats, row) == 5
    assert sheet.cells[3, 1][1] == "DT"
    assert sheet.cells[3, 6] == (12.5, "M")
    # Empty cells are not written at all.
    assert not [key for key in sheet.cells if key[0] == 4]


def _read_back(content, data_only=True):
    return openpyxl.load_workbook(io.BytesIO(content), data_only=data_only)


def test_real_workbook_reads_back_with_openpyxl():
    out = io.BytesIO()
    workbook = xlsxwriter.Workbook(out, {"constant_memory": True})
    sheet = workbook.add_worksheet("Register")
    formats = {
        "datetime": workbook.add_format({"num_format": "yyyy-mm-dd hh:mm"}),
        "date": workbook.add_format({"num_format": "yyyy-mm-dd"}),
        "money": workbook.add_format({"num_format": "#,##0.00"}),
    }
    row = write_header(sheet, COLUMNS, 0)
    converters = _converters()
    rows = (
        cell_values(dict(ROW, name=f"CP-{i}"), COLUMNS, converters) for i in range(3)
    )
    assert write_rows(sheet, COLUMNS, rows, formats, row) == 4
    workbook.close()
    book = _read_back(out.getvalue())
    values = list(book["Register"].iter_rows(values_only=True))
    assert values[0][:3] == ("Reference", "Received", "Channel")
    assert len(values) == 4
    first = values[1]
    assert first[0] == "CP-0"
    assert first[1] == datetime(2026, 10, 31, 10, 30)
    assert first[2:7] == ("电话", "Acme Foods 食品", "是", 0, 12.5)
    assert first[7] == datetime(2026, 11, 3)


def test_column_letter_and_sum_formula():
    assert [column_letter(i) for i in (0, 25, 26, 27, 701, 702)] == [
        "A",
        "Z",
        "AA",
        "AB",
        "ZZ",
        "AAA",
    ]
    assert sum_formula(1, 1, 8) == "=SUM(B2:B9)"


def test_write_total_row():
    sheet = FakeSheet()
    assert write_total_row(sheet, 5, "Total", {2: (30, "money")}, 1, {}) == 6
    assert sheet.formulas[5, 2] == "=SUM(C2:C5)"
    assert sheet.cells[5, 2][0] == 30
    assert sheet.cells[5, 0][0] == "Total"
    # No rows above: a plain number, no formula over an empty range.
    sheet = FakeSheet()
    write_total_row(sheet, 1, "Total", {1: (0, "integer")}, 1, {})
    assert sheet.formulas == {}
    assert sheet.cells[1, 1][0] == 0


def test_grouped_rows():
    rows = [
        {"employee": "Wang", "points": 2, "amount": 100.0},
        {"employee": "Li", "points": 1, "amount": 50.0},
        {"employee": "Wang", "points": -2, "amount": -100.0},
        {"employee": "Wang", "points": 1, "amount": False},
    ]
    items = list(grouped_rows(rows, "employee", ["points", "amount"]))
    kinds = [item[0] for item in items]
    assert kinds == ["row", "row", "row", "subtotal", "row", "subtotal", "total"]
    assert items[3] == ("subtotal", "Wang", {"points": 1, "amount": 0.0})
    assert items[5] == ("subtotal", "Li", {"points": 1, "amount": 50.0})
    assert items[6] == ("total", None, {"points": 2, "amount": 50.0})
    assert list(grouped_rows([], "employee", ["points"])) == [
        ("total", None, {"points": 0})
    ]


def test_sheet_name():
    assert sheet_name("By Category") == "By Category"
    assert sheet_name("a/b:c?") == "a_b_c_"
    assert len(sheet_name("x" * 40)) == 31
    assert sheet_name("Summary", ["summary"]) == "Summary (2)"
    assert sheet_name("", []) == "Sheet"


ITEMS = [
    {"label": "质量 Quality", "count": 5, "previous": 2, "change": 3, "share": 0.625},
    {"label": "Service", "count": 3, "previous": 4, "change": -1, "share": 0.375},
]
HEADERS = ["Category", "Count", "Previous", "Change", "Share"]


def test_write_breakdown_and_chart_on_real_workbook():
    out = io.BytesIO()
    workbook = xlsxwriter.Workbook(out)
    sheet = workbook.add_worksheet("By Category")
    formats = {"percent": workbook.add_format({"num_format": "0.0%"})}
    table = write_breakdown(sheet, HEADERS, ITEMS, formats, 2, "Total")
    assert table == {
        "header_row": 2,
        "first_row": 3,
        "last_row": 4,
        "total_row": 5,
        "next_row": 6,
    }
    spec = chart_series("By Category", table, "Complaints")
    assert spec["values"] == ["By Category", 3, 1, 4, 1]
    assert add_chart(workbook, sheet, "H3", spec) is not None
    workbook.close()
    content = out.getvalue()
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        chart_xml = archive.read("xl/charts/chart1.xml").decode()
    assert "'By Category'!$B$4:$B$5" in chart_xml
    rows = list(_read_back(content)["By Category"].iter_rows(values_only=True))
    assert rows[2] == tuple(HEADERS)
    assert rows[3] == ("质量 Quality", 5, 2, 3, 0.625)
    assert rows[5] == ("Total", 8, 6, 2, 1.0)
    formulas = list(
        _read_back(content, data_only=False)["By Category"].iter_rows(values_only=True)
    )
    assert formulas[5][1] == "=SUM(B4:B5)"


def test_empty_breakdown_has_no_chart():
    sheet = FakeSheet()
    table = write_breakdown(sheet, HEADERS, [], {}, 0, "Total")
    assert table["last_row"] < table["first_row"]
    assert sheet.cells[1, 0][0] == "Total"
    assert (1, 4) not in sheet.cells  # no share of nothing
    spec = chart_series("S", table, "Complaints")
    assert add_chart(FakeWorkbook(), sheet, "H1", spec) is None
    assert sheet.charts == []


def test_add_chart_on_fake():
    sheet = FakeSheet()
    table = write_breakdown(sheet, HEADERS, ITEMS, {}, 0, "Total")
    chart = add_chart(FakeWorkbook(), sheet, "H1", chart_series("S", table, "N"), "pie")
    assert chart.options == {"type": "pie"}
    assert chart.legend == {"none": False}
    assert sheet.charts == [("H1", chart)]


def test_change_of_and_metrics():
    assert change_of(5, 3) == 2
    assert change_of(None, 3) is None
    assert change_of(0.5, None) is None
    sheet = FakeSheet()
    metrics = [
        ("Total", "integer", 8, 6),
        ("On-time rate", "percent", 0.75, None),
        ("Satisfaction", "percent", None, 0.5),
    ]
    formats = {"integer": "I", "percent": "P"}
    assert write_metrics(sheet, ["", "Value", "Prev", "Chg"], metrics, formats, 0) == 4
    assert sheet.cells[1, 1] == (8, "I")
    assert sheet.cells[1, 3] == (2, "I")
    assert sheet.cells[2, 1] == (0.75, "P")
    assert (2, 2) not in sheet.cells and (2, 3) not in sheet.cells
    assert (3, 1) not in sheet.cells and sheet.cells[3, 2] == (0.5, "P")


@pytest.mark.parametrize(
    "value, expected",
    [
        (
            "<p>Chair &amp; table</p><p>Leg <b>broken</b><br/>again</p>",
            "Chair & table\nLeg broken\nagain",
        ),
        ("<p>椅子腿断裂</p>", "椅子腿断裂"),
        ("<p><br></p>", None),
        ("plain &lt;text&gt;", "plain <text>"),
        (False, None),
        (None, None),
    ],
)
def test_html_text_is_the_plain_text_of_a_cell(value, expected):
    assert html_text(value) == expected
