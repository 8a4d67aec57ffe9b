from __future__ import annotations

from typing import Any

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout
from django import forms

from socprofiles.core.classification import Classification

from .models import COMMISSIONING_FIELDS, Strand

MONTH = {"placeholder": "YYYY-MM"}


class CommissionForm(forms.Form):
    title = forms.CharField(
        max_length=200,
        help_text="For example “Local Profile 2027”.",
        error_messages={"required": "Give the profile a title."},
    )
    period_start = forms.CharField(
        label="First month analysed", max_length=7, widget=forms.TextInput(attrs=MONTH)
    )
    period_end = forms.CharField(
        label="Last month analysed", max_length=7, widget=forms.TextInput(attrs=MONTH)
    )
    assessment = forms.ChoiceField(
        label="MoRiLE assessment", required=False, help_text="Its agreed priorities are reported."
    )
    classification = forms.ChoiceField(choices=Classification.choices)
    handling_note = forms.CharField(max_length=300, required=False)
    publish_by = forms.DateField(
        required=False, label="Target publication date", help_text="For example 2027-03-31."
    )

    def __init__(self, *args: Any, assessments: list[Any], editing: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["assessment"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "None")] + [(str(a.pk), a.title) for a in assessments]
        for key, label, hint in COMMISSIONING_FIELDS:
            self.fields[key] = forms.CharField(
                label=label, help_text=hint, required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
            )  # fmt: skip
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.text("title"),
            Field.text("period_start", field_width=10),
            Field.text("period_end", field_width=10),
            Field.select("assessment"),
            Field.select("classification"),
            Field.text("handling_note"),
            Field.text("publish_by", field_width=10),
            *[Field.textarea(key) for key, _l, _h in COMMISSIONING_FIELDS],
            Button("submit", "Save the commissioning record" if editing else "Commission"),
        )


class SectionForm(forms.Form):
    narrative = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text="Plain text (a blank line between paragraphs) or simple HTML: paragraphs, "
        "lists, bold, italic, links and tables. Anything else is removed.",
    )
    classification = forms.ChoiceField(
        choices=Classification.choices,
        help_text="An OFFICIAL-SENSITIVE section makes the whole document OFFICIAL-SENSITIVE. "
        "The system is not accredited for SECRET or above: never put such material here.",
    )
    handling_note = forms.CharField(
        max_length=300, required=False, help_text="Needed for OFFICIAL-SENSITIVE: who may see it."
    )
    extra_sources = forms.MultipleChoiceField(
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Other data sets this section draws on",
        help_text="Their owners are asked to clear the section before publication.",
    )

    def __init__(self, *args: Any, datasets: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["extra_sources"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(str(d.pk), f"{d.title} ({d.owner.name})") for d in datasets]
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.textarea("narrative"),
            Field.select("classification"),
            Field.text("handling_note"),
            Field.checkboxes("extra_sources"),
            Button("submit", "Save"),
        )


class RecommendationsForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for value, label in Strand.choices:
            self.fields[value] = forms.CharField(
                label=str(label), required=False, widget=forms.Textarea(attrs={"rows": 4}),
                help_text="One recommendation a line.",
            )  # fmt: skip
        self.helper = FormHelper()
        self.helper.layout = Layout(
            *[Field.textarea(v) for v in Strand.values], Button("submit", "Save")
        )

    def by_strand(self) -> dict[str, list[str]]:
        return {
            v: [t for t in (self.cleaned_data.get(v) or "").splitlines() if t.strip()]
            for v in Strand.values
        }


class ClearanceForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("cleared", "Clear for publication"), ("refused", "Do not clear")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether you clear the data for publication."},
    )
    note = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed when you do not clear: say what must change.",
    )  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.radios("decision"), Field.textarea("note"), Button("submit", "Record decision")
        )


class OverrideForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Give the reason for publishing without every clearance."},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.textarea("reason"), Button("submit", "Record the override")
        )
