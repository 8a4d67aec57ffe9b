from __future__ import annotations

from typing import Any

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout
from django import forms
from django.conf import settings

from socprofiles.accounts.models import Organisation
from socprofiles.core.classification import Classification

from .ingest.feeds import all_feeds
from .models import DataSetKind, Visibility


def kind_choices() -> list[tuple[str, str]]:
    built_in = [(k, label) for k, label in DataSetKind.choices if k != DataSetKind.FEED]
    feeds = [(f"feed:{name}", f"Partner feed: {spec.label}") for name, spec in all_feeds().items()]
    return [("", "Choose the kind of data"), *built_in, *feeds]


class DataSetForm(forms.Form):
    kind = forms.ChoiceField(
        label="Kind of data",
        help_text="Built-in formats as published, or a partner feed described by a mapping.",
        error_messages={"required": "Choose the kind of data."},
    )
    owner: forms.ModelChoiceField = forms.ModelChoiceField(
        queryset=Organisation.objects.none(),
        label="Owning organisation",
        help_text="The partner who owns the data and must clear it for publication.",
        error_messages={"required": "Choose the organisation that owns the data."},
    )
    title = forms.CharField(
        max_length=200, error_messages={"required": "Give the data set a title."}
    )
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    source = forms.CharField(
        max_length=300, required=False, label="Source", help_text="Where the data comes from."
    )
    licence = forms.CharField(max_length=200, required=False)
    attribution = forms.CharField(
        max_length=500, required=False, help_text="Text that must accompany the data when shown."
    )
    classification = forms.ChoiceField(
        choices=Classification.choices, initial=Classification.OFFICIAL
    )
    handling_note = forms.CharField(
        max_length=300,
        required=False,
        help_text="Required for OFFICIAL-SENSITIVE: who may see it, how to store it.",
    )
    visibility = forms.ChoiceField(
        choices=Visibility.choices, initial=Visibility.PARTNERSHIP, label="Who may see it"
    )
    period_start = forms.DateField(
        required=False, widget=forms.DateInput(attrs={"type": "date"}), label="Period from"
    )
    period_end = forms.DateField(
        required=False, widget=forms.DateInput(attrs={"type": "date"}), label="Period to"
    )

    def __init__(self, *args: Any, owners: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        owner = self.fields["owner"]
        assert isinstance(owner, forms.ModelChoiceField)
        owner.queryset = owners
        kind = self.fields["kind"]
        assert isinstance(kind, forms.ChoiceField)
        kind.choices = kind_choices()
        names = [
            "kind", "owner", "title", "description", "source", "licence", "attribution",
            "classification", "handling_note", "visibility", "period_start", "period_end",
        ]  # fmt: skip
        if editing:
            del self.fields["kind"]
            del self.fields["owner"]
            names = names[2:]
        self.helper = FormHelper()
        self.helper.layout = Layout(
            *(Field.select(n) if n in {"kind", "owner", "classification", "visibility"}
              else Field.textarea(n) if n == "description" else Field.text(n) for n in names),
            Button("submit", "Save data set"),
        )  # fmt: skip

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and start > end:
            self.add_error("period_end", "The period must end on or after it starts.")
        return data


class UploadForm(forms.Form):
    file = forms.FileField(
        label="File",
        help_text="CSV (optionally gzip-compressed), .xlsx, GeoJSON or GeoPackage, as published.",
        error_messages={"required": "Choose the file to import."},
    )
    max_rejected = forms.IntegerField(
        min_value=0,
        initial=0,
        required=False,
        label="Bad rows to skip",
        help_text="0 refuses the whole file if any row is bad. A higher number skips up to "
        "that many bad rows (listed in the report) and imports the rest.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = True
        self.helper.attrs = {"enctype": "multipart/form-data"}
        self.helper.layout = Layout(
            Field("file"),
            Field.text("max_rejected", field_width=5),
            Button("submit", "Upload and import"),
        )

    def clean_max_rejected(self) -> int:
        return self.cleaned_data.get("max_rejected") or 0

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        limit = settings.DATASET_MAX_FILE_MB << 20
        if upload.size > limit:
            raise forms.ValidationError(
                f"The file is {upload.size / 2**20:,.0f} MB; the limit is "
                f"{settings.DATASET_MAX_FILE_MB:,} MB."
            )
        if upload.size == 0:
            raise forms.ValidationError("The file is empty.")
        return upload


class ClearanceRequestForm(forms.Form):
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        label="Note to the data owner",
        help_text="Which sections use the data and how it will appear.",
    )


class ClearanceDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("cleared", "Cleared for publication"), ("refused", "Not cleared")],
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether the data is cleared."},
    )
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Required when not cleared: say why, so the authors can act.",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == "refused" and not (data.get("note") or "").strip():
            self.add_error("note", "Say why the data cannot be published.")
        return data


def split_kind(value: str) -> tuple[str, str]:
    if value.startswith("feed:"):
        return DataSetKind.FEED, value.removeprefix("feed:")
    return value, ""
