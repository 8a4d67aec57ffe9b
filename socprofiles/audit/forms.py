from __future__ import annotations

from typing import Any

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout
from django import forms


class AuditFilterForm(forms.Form):
    actor = forms.CharField(required=False, label="Person (user name)", max_length=150)
    action = forms.ChoiceField(required=False, label="Action")
    text = forms.CharField(required=False, label="Record or purpose contains", max_length=200)
    date_from = forms.DateField(
        required=False,
        label="From",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "Enter the start date as a real date, like 2026-03-31."},
    )
    date_to = forms.DateField(
        required=False,
        label="To",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "Enter the end date as a real date, like 2026-03-31."},
    )

    def __init__(self, *args: Any, actions: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["action"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "Any action"), *((a, a) for a in actions)]
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.layout = Layout(
            Field.text("actor", field_width=20),
            Field.select("action"),
            Field.text("text", field_width=20),
            Field.text("date_from", field_width=10),
            Field.text("date_to", field_width=10),
            Button("submit", "Search"),
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "The end date must be on or after the start date.")
        return data
