"""The ranked matrix as CSV and .xlsx, laid out like the published MoRiLE matrix: the
issue, each harm factor, total harm, each likelihood factor, total likelihood, risk, the
organisational position factors, their total and the graded score."""

from __future__ import annotations

import io
from typing import Any

from django.utils import timezone

from socprofiles.core.csvsafe import csv_text, spreadsheet_safe

from .models import Assessment
from .selectors import model_of, ranking


def matrix_columns(assessment: Assessment) -> list[tuple[str, str]]:
    """(key, heading) in the order of the published matrix: each group's factors followed
    by the outputs computed from them."""
    model = model_of(assessment)
    columns: list[tuple[str, str]] = []
    placed: set[str] = set()
    for group, keys in model.groups.items():
        columns += [(k, model.factor(k).label) for k in keys]
        for output in model.outputs:
            if output.kind == "sum" and output.args[0] == group:
                columns.append((output.key, output.label))
                placed.add(output.key)
        # a product that needs only what is placed so far (risk after likelihood)
        for output in model.outputs:
            if (
                output.key not in placed
                and output.kind == "product"
                and all(a in placed for a in output.args)
            ):
                columns.append((output.key, output.label))
                placed.add(output.key)
    columns += [(o.key, o.label) for o in model.outputs if o.key not in placed]
    return columns


def matrix_groups(assessment: Assessment) -> list[tuple[str, int]]:
    """The row of group headings above the matrix's columns: (label, span), with an empty
    label over columns that belong to no group (risk, the graded score)."""
    model = model_of(assessment)
    group_of = {f.key: f.group for f in model.factors}
    group_of.update({o.key: o.args[0] for o in model.outputs if o.kind == "sum"})
    cells: list[tuple[str, int]] = []
    for key, _heading in matrix_columns(assessment):
        label = model.group_labels.get(group_of.get(key, ""), "")
        if cells and cells[-1][0] == label:
            cells[-1] = (label, cells[-1][1] + 1)
        else:
            cells.append((label, 1))
    return cells


def matrix_rows(assessment: Assessment) -> list[dict[str, Any]]:
    rows = []
    for ranked in ranking(assessment=assessment):
        row = {
            "rank": ranked.rank,
            "issue": ranked.issue.name,
            "theme": ranked.issue.theme.name if ranked.issue.theme else "",
            "shortlisted": ranked.issue.shortlisted,
        }
        row.update(ranked.score.inputs)
        row.update(ranked.score.outputs)
        rows.append(row)
    return rows


def _preamble(assessment: Assessment, user: Any) -> list[str]:
    stamp = timezone.localtime().strftime("%d %B %Y %H:%M")
    return [
        "OFFICIAL",
        f"{assessment.title} ({assessment.partnership.name}), MoRiLE model {assessment.model_id}",
        f"Exported by {user} on {stamp}",
    ]


def matrix_csv(assessment: Assessment, user: Any) -> str:
    columns = matrix_columns(assessment)
    header = ["Rank", "Issue", "Theme", "Shortlisted", *(h for _, h in columns)]
    rows = (
        [
            r["rank"],
            r["issue"],
            r["theme"],
            "yes" if r["shortlisted"] else "",
            *(_num(r[k]) for k, _ in columns),
        ]
        for r in matrix_rows(assessment)
    )
    return csv_text(header, rows, preamble=[[line] for line in _preamble(assessment, user)])


def matrix_xlsx(assessment: Assessment, user: Any) -> bytes:
    import openpyxl
    from openpyxl.styles import Font

    columns = matrix_columns(assessment)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "MoRiLE matrix"
    for line in _preamble(assessment, user):
        sheet.append([line])
    sheet["A1"].font = Font(bold=True)
    sheet.append([])
    sheet.append(["Rank", "Issue", "Theme", "Shortlisted", *(h for _, h in columns)])
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for r in matrix_rows(assessment):
        sheet.append(
            [r["rank"], spreadsheet_safe(r["issue"]), spreadsheet_safe(r["theme"]),
             "yes" if r["shortlisted"] else "", *(_num(r[k]) for k, _ in columns)]
        )  # fmt: skip
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _num(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value
