from __future__ import annotations

import re
from typing import Any

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout
from django import forms

MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


class AnalysisForm(forms.Form):
    area = forms.ChoiceField(label="Area")
    start = forms.CharField(
        label="From (YYYY-MM)", max_length=7, error_messages={"required": "Give the first month."}
    )
    end = forms.CharField(
        label="To (YYYY-MM)", max_length=7, error_messages={"required": "Give the last month."}
    )

    def __init__(self, *args: Any, areas: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["area"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(a.code, f"{a.name} ({a.get_kind_display()})") for a in areas]
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.layout = Layout(
            Field.select("area"),
            Field.text("start", field_width=10),
            Field.text("end", field_width=10),
            Button("submit", "Show the analysis"),
        )

    def _month(self, name: str) -> str:
        value = (self.cleaned_data.get(name) or "").strip()
        if not MONTH.match(value):
            raise forms.ValidationError(
                f"Write the month as YYYY-MM, like 2022-09; {value!r} is not."
            )
        return value

    def clean_start(self) -> str:
        return self._month("start")

    def clean_end(self) -> str:
        return self._month("end")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", "The last month must not be before the first.")
        return data
