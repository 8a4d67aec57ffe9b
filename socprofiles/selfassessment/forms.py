"""Forms of the self-assessment: one question per page (GOV.UK question pages: the
question is the fieldset's legend and the page's heading), the optional postcode district,
the final submission with its honeypot, and the districts a partnership covers."""

from __future__ import annotations

import re
from typing import Any

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout, Size
from django import forms

from socprofiles.accounts.models import Area
from socprofiles.core.exceptions import ServiceError

from .scoring import Question
from .services import clean_district

# The final submission's honeypot: a field people never see (hidden by the stylesheet, out
# of the tab order; check.html), which only a program filling in every field fills in.
HONEYPOT = "website"


class QuestionForm(forms.Form):
    answer = forms.ChoiceField(widget=forms.RadioSelect)

    def __init__(self, *args: Any, question: Question, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["answer"]
        assert isinstance(field, forms.ChoiceField)
        field.label = question.text
        field.help_text = question.hint
        field.choices = [(a.key, a.label) for a in question.answers]
        field.error_messages["required"] = question.error
        field.error_messages["invalid_choice"] = question.error
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.radios("answer", legend_size=Size.LARGE, legend_tag="h1"),
            Button("continue", "Continue"),
        )


class DistrictForm(forms.Form):
    district = forms.CharField(
        required=False, max_length=10, label="What is the first part of your postcode?",
        help_text="For example, DH1 or DL3. This is optional: leave it blank if you prefer. "
        "Do not enter your full postcode.",
    )  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["district"].widget.attrs.update({"autocomplete": "off", "spellcheck": "false"})
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.text("district", label_size=Size.LARGE, label_tag="h1", field_width=5),
            Button("continue", "Continue"),
        )

    def clean_district(self) -> str:
        try:
            return clean_district(self.cleaned_data.get("district") or "")
        except ServiceError as error:
            raise forms.ValidationError(error.message) from None


def _district_list(text: str) -> list[str]:
    return [p for p in re.split(r"[\s,;]+", text.upper()) if p]


class DistrictsForm(forms.Form):
    """One box per local authority of the partnership for the districts counted in it, and
    one for districts the partnership covers that are counted in none."""

    def __init__(self, *args: Any, authorities: list[Area], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.authorities = authorities
        fields = []
        for area in authorities:
            name = f"la_{area.pk.hex}"
            self.fields[name] = forms.CharField(
                required=False, label=f"Districts in {area.name}",
                help_text="Separate them with commas or spaces, for example: DH1, DH2, DH3",
                widget=forms.Textarea(attrs={"rows": 2}),
            )  # fmt: skip
            fields.append(Field.textarea(name, rows=2))
        self.fields["other"] = forms.CharField(
            required=False, widget=forms.Textarea(attrs={"rows": 2}),
            label="Districts in the partnership's area but not in one of its local authorities"
            if authorities else "Districts the partnership covers",
            help_text="Separate them with commas or spaces.",
        )  # fmt: skip
        fields.append(Field.textarea("other", rows=2))
        self.helper = FormHelper()
        self.helper.layout = Layout(*fields, Button("save", "Save the districts"))

    def assignments(self) -> list[tuple[str, Area | None]]:
        found: list[tuple[str, Area | None]] = []
        for area in self.authorities:
            found.extend((d, area) for d in _district_list(self.cleaned_data[f"la_{area.pk.hex}"]))
        found.extend((d, None) for d in _district_list(self.cleaned_data["other"]))
        return found
