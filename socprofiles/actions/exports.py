"""The action plan out and in: XLSX and a PDF table in the layout of seed 004's action
plan (Recommendation | Milestone | Ownership | Review, grouped by strand), and an existing
plan imported from XLSX, all or nothing."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from socprofiles.core.csvsafe import csv_text, spreadsheet_safe
from socprofiles.core.exceptions import ServiceError
from socprofiles.profiles.models import Strand

from .models import Action

COLUMNS = ["Strand", "Recommendation", "Milestone", "Milestone due", "Milestone done",
           "Ownership", "Named owner", "Review", "Status"]  # fmt: skip
IMPORT_COLUMNS = ["Strand", "Recommendation", "Milestone", "Milestone due", "Ownership", "Review"]
MAX_IMPORT_ROWS = 2000


def _ownership(action: Action) -> str:
    return "; ".join(o.name for o in action.owner_organisations.all())


def plan_rows(actions: list[Action]) -> list[list[Any]]:
    """One row per milestone (an action without milestones: one row), strand by strand."""
    rows: list[list[Any]] = []
    for action in actions:
        common = [action.get_strand_display(), action.recommendation]
        tail = [_ownership(action), action.owner.display_name if action.owner else "",
                action.review_on, action.get_status_display()]  # fmt: skip
        milestones: list[Any] = list(action.milestones.all()) or [None]
        for m in milestones:
            middle = [m.text, m.due_on, m.done_on] if m else ["", None, None]
            rows.append([*common, *middle, *tail])
    return rows


def plan_xlsx(actions: list[Action], *, title: str, marking: str, exported_by: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Action plan"
    stamp = timezone.localtime().strftime("%d %B %Y %H:%M")
    sheet.append([marking, title, f"Exported by {exported_by}, {stamp}"])
    sheet.append(COLUMNS)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in plan_rows(actions):
        sheet.append([spreadsheet_safe(v) for v in row])
    for column, width in zip("ABCDEFGHI", (10, 60, 50, 14, 14, 40, 24, 12, 12), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.append([])
    sheet.append([marking])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def plan_csv(actions: list[Action], *, title: str, marking: str, exported_by: str) -> str:
    stamp = timezone.localtime().isoformat(timespec="seconds")
    return csv_text(
        COLUMNS,
        plan_rows(actions),
        preamble=[[marking, title, f"Exported by {exported_by} at {stamp}"]],
    )


def plan_pdf(actions: list[Action], *, title: str, marking: str, recipient: str) -> bytes:
    """The seed's layout: a table per strand, Recommendation | Milestone | Ownership |
    Review, the recommendation spanning its milestones."""
    from django.template.loader import render_to_string
    from weasyprint import CSS, HTML

    groups = []
    for value, label in Strand.choices:
        chosen = [a for a in actions if a.strand == value]
        if chosen:
            groups.append({"label": str(label), "actions": [
                {"action": a, "milestones": list(a.milestones.all()), "ownership": _ownership(a)}
                for a in chosen
            ]})  # fmt: skip
    stamp = timezone.localtime().strftime("%d %B %Y %H:%M")
    html = render_to_string(
        "actions/plan_print.html",
        {"groups": groups, "title": title, "marking": marking, "recipient": recipient,
         "stamp": stamp},
    )  # fmt: skip
    quoted = '"' + marking.replace('"', "") + '"'
    issued = '"' + f"Issued to {recipient}, {stamp}".replace('"', "") + '"'
    page = f"""@page {{ size: A4 landscape; margin: 18mm 12mm;
      @top-center {{ content: {quoted}; font-family: sans-serif; font-weight: bold; }}
      @bottom-center {{ content: {quoted}; font-family: sans-serif; font-weight: bold; }}
      @top-right {{ content: {issued}; font-family: sans-serif; font-size: 7pt; }}
      @bottom-right {{ content: "Page " counter(page) " of " counter(pages);
                       font-family: sans-serif; font-size: 7pt; }} }}"""
    return bytes(HTML(string=html).write_pdf(stylesheets=[CSS(string=page)]))


@dataclass
class ImportRow:
    line: int
    strand: str
    recommendation: str
    milestone: str
    milestone_due: dt.date | None
    ownership: list[str]
    review_on: dt.date | None


def _date(value: Any, line: int, column: str, name: str) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise ServiceError(
            f"{name}, row {line}, column {column}: {str(value)!r} is not a date; write it "
            "as a date cell or YYYY-MM-DD."
        ) from None


def read_plan_xlsx(data: bytes, *, name: str) -> list[ImportRow]:
    """Every row of an action plan workbook, checked; the first problem is reported with
    its row and column, and nothing is imported until every row is good."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:
        raise ServiceError(f"{name} is not an Excel workbook (.xlsx) that can be read.") from None
    sheet = book.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header_line, header = 0, None
    for header_line, row in enumerate(rows, 1):
        cells = [str(c).strip() if c is not None else "" for c in row]
        if "Recommendation" in cells and "Strand" in cells:
            header = cells
            break
        if header_line > 5:
            break
    if header is None:
        raise ServiceError(
            f"{name}: no header row with {', '.join(IMPORT_COLUMNS)} in its first five rows."
        )
    missing = [c for c in ("Strand", "Recommendation") if c not in header]
    if missing:
        raise ServiceError(f"{name}: the header lacks {', '.join(missing)}.")
    index = {c: header.index(c) for c in IMPORT_COLUMNS if c in header}
    letters = {c: chr(ord("A") + i) for c, i in index.items()}
    strands = {label.lower(): value for value, label in Strand.choices}
    found: list[ImportRow] = []
    last_strand = last_recommendation = ""
    for line, row in enumerate(rows, header_line + 1):

        def cell(column: str, row: Any = row) -> Any:
            i = index.get(column)
            return row[i] if i is not None and i < len(row) else None

        if all(v in (None, "") for v in row):
            continue
        if len(found) >= MAX_IMPORT_ROWS:
            raise ServiceError(f"{name}: more than {MAX_IMPORT_ROWS} rows; split the plan.")
        strand_text = str(cell("Strand") or last_strand).strip()
        if strand_text.lower() not in strands:
            raise ServiceError(
                f"{name}, row {line}, column {letters['Strand']}: {strand_text!r} is not a 4P "
                "strand; write Pursue, Prevent, Protect or Prepare."
            )
        recommendation = str(cell("Recommendation") or last_recommendation).strip()
        if not recommendation:
            raise ServiceError(
                f"{name}, row {line}, column {letters['Recommendation']}: the recommendation "
                "is empty."
            )
        milestone = str(cell("Milestone") or "").strip()
        due = _date(cell("Milestone due"), line, letters.get("Milestone due", "?"), name)
        if milestone and due is None:
            raise ServiceError(
                f"{name}, row {line}: the milestone {milestone[:40]!r} needs a date in "
                f"column {letters.get('Milestone due', '(Milestone due)')}."
            )
        owners = [o.strip() for o in str(cell("Ownership") or "").split(";") if o.strip()]
        found.append(ImportRow(
            line=line, strand=strands[strand_text.lower()], recommendation=recommendation,
            milestone=milestone, milestone_due=due, ownership=owners,
            review_on=_date(cell("Review"), line, letters.get("Review", "?"), name),
        ))  # fmt: skip
        last_strand, last_recommendation = strand_text, recommendation
    if not found:
        raise ServiceError(f"{name}: there are no actions under the header.")
    return found
