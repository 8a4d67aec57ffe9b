from __future__ import annotations

from typing import Any

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout
from django import forms
from django.conf import settings

from .engine import kinds
from .models import Kind

UPLOAD_MAX_MB = 50  # imported while the page waits; bigger files from the command line


class HoldingsUploadForm(forms.Form):
    kind = forms.ChoiceField(label="Kind of record", choices=Kind.choices)
    file = forms.FileField(
        label="File",
        help_text="CSV or .xlsx with a header row; see the columns each kind takes below.",
        error_messages={"required": "Choose the file to import."},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.attrs = {"enctype": "multipart/form-data"}
        self.helper.layout = Layout(Field.select("kind"), Field("file"),
                                    Button("submit", "Import"))  # fmt: skip

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        limit_mb = min(settings.DATASET_MAX_FILE_MB, UPLOAD_MAX_MB)
        if upload.size > limit_mb << 20:
            raise forms.ValidationError(
                f"The file is {upload.size / 2**20:,.0f} MB; the limit here is {limit_mb:,} MB "
                "(load larger files with: python manage.py gain_holdings)."
            )
        if upload.size == 0:
            raise forms.ValidationError("The file is empty.")
        return upload


class HitRequestForm(forms.Form):
    kind = forms.ChoiceField(label="Kind of subject", choices=Kind.choices)
    purpose = forms.CharField(
        label="Purpose", widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Why you need to know who holds this subject (recorded and audited).",
        error_messages={"required": "Give the purpose of the request."},
    )  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels: dict[str, list[str]] = {}
        for spec in kinds().values():
            for name in spec.fields:
                labels.setdefault(name, [])
                labels[name].append(spec.label.lower())
        for name, used_by in labels.items():
            self.fields[name] = forms.CharField(
                label=name.replace("_", " ").capitalize().replace("Dob", "Date of birth")
                .replace("Vrm", "Vehicle registration (VRM)"),
                required=False, max_length=200,
                help_text=f"For a {' or '.join(used_by)}."
                + (" As YYYY-MM-DD." if name == "dob" else ""),
            )  # fmt: skip
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.select("kind"),
            *[Field.text(name, field_width=20) for name in labels],
            Field.textarea("purpose"), Button("submit", "Ask the agencies"),
        )  # fmt: skip

    def subject(self) -> dict[str, str]:
        spec = kinds()[self.cleaned_data["kind"]]
        return {f: self.cleaned_data[f] for f in spec.fields if self.cleaned_data.get(f)}


class DisclosureRequestForm(forms.Form):
    organisation = forms.ChoiceField(
        label="Agency to ask", widget=forms.RadioSelect,
        error_messages={"required": "Choose the agency to ask.",
                        "invalid_choice": "Ask only an agency that answered hit."},
    )  # fmt: skip
    purpose = forms.CharField(
        label="Purpose", widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say what the disclosure is for."},
    )  # fmt: skip
    legal_gateway = forms.CharField(
        label="Legal gateway", max_length=200,
        help_text="For example: Crime and Disorder Act 1998 s115; Serious Crime Act 2007 s68.",
        error_messages={"required": "Name the legal gateway for sharing."},
    )  # fmt: skip

    def __init__(self, *args: Any, agencies: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = agencies
        self.helper = FormHelper()
        self.helper.layout = Layout(Field.radios("organisation"), Field.textarea("purpose"),
                                    Field.text("legal_gateway"),
                                    Button("submit", "Ask to disclose"))  # fmt: skip


class DisclosureDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Decision", choices=[("approve", "Approve"), ("decline", "Decline")],
        widget=forms.RadioSelect, error_messages={"required": "Approve or decline."},
    )  # fmt: skip
    shared = forms.CharField(
        label="What is shared", required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Record what you disclose (or why you decline).",
    )  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.radios("decision", inline=True), Field.textarea("shared"),
            Button("submit", "Record"),
        )  # fmt: skip
