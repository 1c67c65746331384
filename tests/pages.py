"""Reading back what the portal serves: the errors beside a form's fields,
what an input holds, the values a form would post, the "N results" of a list page, and the rows
of an exported xlsx or CSV file."""

import csv
import html
import io
import re

import lxml.html
from openpyxl import load_workbook

# As templates/includes/field.html writes an error beside a field.
ERROR_BESIDE = r'id="id_{field}-error"><span class="nhsuk-u-visually-hidden">Error:</span> (.*?)</span>'


def errors_beside(content: bytes | str, field: str) -> list[str]:
    """The error messages the page shows beside one field, as people read them."""
    page = content.decode() if isinstance(content, bytes) else content
    return [html.unescape(m) for m in re.findall(ERROR_BESIDE.format(field=re.escape(field)), page, re.S)]


def error_beside(content: bytes | str, field: str) -> str:
    """The one error message the page shows beside ``field``."""
    errors = errors_beside(content, field)
    assert len(errors) == 1, f"expected one error beside {field}, found {errors}"
    return errors[0]


def input_value(content: bytes | str, field: str) -> str | None:
    """The value the page's input for ``field`` holds (None if it has none).
    A date field's three inputs (day, month, year) read as one ISO date,
    like 2019-02-15, or as typed ("31-2-2019") when they are not a date."""
    page = content.decode() if isinstance(content, bytes) else content
    if f'name="{field}"' not in page and f'name="{field}_year"' in page:
        day, month, year = (input_value(page, f"{field}_{part}") or "" for part in ("day", "month", "year"))
        if not (day or month or year):
            return None
        if day.isdigit() and month.isdigit() and year.isdigit():
            return f"{int(year):04d}-{int(month):02d}-{int(day):02d}"
        return f"{year}-{month}-{day}"
    match = re.search(rf'<input[^>]*name="{re.escape(field)}"[^>]*>', page)
    assert match, f"no input {field}"
    value = re.search(r'value="([^"]*)"', match.group(0))
    return value.group(1) if value else None


def form_data(content: bytes, form_id: str) -> dict[str, list[str]]:
    """What the browser would post for the form as shown."""
    form = lxml.html.fromstring(content.decode()).get_element_by_id(form_id)
    data: dict[str, list[str]] = {}
    for name, value in form.form_values():
        data.setdefault(name, []).append(value)
    return data


def result_count(client, url: str) -> int:
    """The "N results" a list page says its filters found."""
    page = client.get(url).content.decode()
    found = re.search(r"(\d+) results?", page)
    assert found, f"no result count on {url}"
    return int(found.group(1))


def export_body(response) -> bytes:
    """The bytes of a file the portal served, streamed or not. A stream can be
    read only once, so its bytes are kept on the response for the next read."""
    if not response.streaming:
        return response.content
    if not hasattr(response, "read_back"):
        response.read_back = b"".join(response.streaming_content)
    return response.read_back


def export_sheet(response):
    """The worksheet of an xlsx export, to look at cells' types and formats."""
    return load_workbook(io.BytesIO(export_body(response))).active


def export_rows(response, export_format: str, *, csv_empty=""):
    """The rows of an export, header first, each a list: xlsx cells as
    openpyxl reads them (an empty cell is None), CSV cells as text (an empty
    cell is ``csv_empty``: pass None to compare with the xlsx rows)."""
    if export_format == "xlsx":
        return [list(row) for row in export_sheet(response).iter_rows(values_only=True)]
    text = export_body(response).decode("utf-8-sig")
    return [[cell if cell != "" else csv_empty for cell in row] for row in csv.reader(io.StringIO(text))]


def export_records(response, export_format: str) -> list[dict]:
    """The rows of an export after its header, each as {column heading: cell}."""
    header, *rows = export_rows(response, export_format)
    return [dict(zip(header, row, strict=True)) for row in rows]
