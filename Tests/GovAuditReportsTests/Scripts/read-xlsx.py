#!/usr/bin/python3
"""Reads an XLSX file with openpyxl (an independent reader) and prints it as JSON, cell by cell:
per sheet its name, frozen cell, autofilter range, column widths and every cell's type, value and
number format, so a Swift test can compare them with the report model."""
import datetime
import json
import sys

import openpyxl


def cell(c):
    value = c.value
    if isinstance(value, datetime.datetime):
        value = value.isoformat()
    return {"type": c.data_type, "value": value, "format": c.number_format, "isDate": c.is_date}


def main(path):
    book = openpyxl.load_workbook(path)
    sheets = []
    for ws in book.worksheets:
        widths = {k: d.width for k, d in ws.column_dimensions.items() if d.width}
        sheets.append({
            "name": ws.title,
            "freeze": ws.freeze_panes,
            "filter": ws.auto_filter.ref,
            "widths": widths,
            "rows": [[cell(c) for c in row] for row in ws.iter_rows()],
        })
    json.dump({"sheets": sheets}, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main(sys.argv[1])
