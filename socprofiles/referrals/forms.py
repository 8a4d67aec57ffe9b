from __future__ import annotations

from typing import Any

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout, Size
from django import forms

from socprofiles.accounts.models import Organisation
from socprofiles.morile.engine import Model
from socprofiles.morile.forms import ScoreForm

from .models import Category, Outcome, Rating, Route


class ReferralForm(forms.Form):
    category = forms.ChoiceField(
        choices=Category.choices, widget=forms.RadioSelect, label="What is the concern about?",
        error_messages={"required": "Select what the concern is about"},
    )  # fmt: skip
    where = forms.CharField(
        max_length=20, label="Where",
        help_text="A postcode district (like DH1) or an LSOA, ward or local authority code. "
        "Not a full postcode: put any address in the description.",
        error_messages={"required": "Enter a postcode district or an area code"},
    )  # fmt: skip
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 8}), label="Describe the concern",
        help_text="What you saw or were told, when, and why it worries you. Only your "
        "organisation, the partnership's coordinators and the agency that takes the referral "
        "on will read it.",
        error_messages={"required": "Describe the concern"},
    )  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.radios("category", legend_size=Size.MEDIUM),
            Field.text("where", field_width=10),
            Field.textarea("description", rows=8),
            Button("submit", "Submit the referral"),
        )


class TriageForm(ScoreForm):
    """The MoRiLE tactical factors, then the rating (or the one the score suggests)."""

    rating = forms.ChoiceField(
        required=False, widget=forms.RadioSelect, label="Risk and threat rating",
        choices=[("", "Use the rating the score suggests"), *Rating.choices],
    )  # fmt: skip

    def __init__(self, *args: Any, model: Model, **kwargs: Any) -> None:
        super().__init__(*args, model=model, submit="Save the triage", **kwargs)
        self.fields["rationale"].label = "Triage notes (optional)"
        self.fields["rationale"].help_text = (
            "Seen by the coordinators and the agency the referral is assigned to, never by "
            "the referrer."
        )
        self.order_fields([*model.factor_keys, "rating", "rationale"])
        fields = self.helper.layout.fields
        fields.insert(len(fields) - 2, Field.radios("rating", legend_size=Size.MEDIUM))


class AssignForm(forms.Form):
    owner_agency = forms.ChoiceField(label="Owning agency")
    route = forms.ChoiceField(
        choices=Route.choices, widget=forms.RadioSelect, label="Safeguarding route",
        error_messages={"required": "Select the safeguarding route"},
    )  # fmt: skip

    def __init__(self, *args: Any, organisations: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["owner_agency"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "Choose an organisation")] + [
            (str(o.pk), o.name) for o in organisations
        ]
        field.error_messages["required"] = "Choose the owning agency"
        self.organisations = organisations
        self.helper = FormHelper()
        self.helper.form_tag = False  # posted to its own address from the referral's page
        self.helper.layout = Layout(
            Field.select("owner_agency"), Field.radios("route", legend_size=Size.SMALL, small=True),
            Button("submit", "Assign"),
        )  # fmt: skip

    def chosen(self) -> Organisation | None:
        value = self.cleaned_data.get("owner_agency")
        return next((o for o in self.organisations if str(o.pk) == value), None)


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(
        choices=Outcome.choices, widget=forms.RadioSelect, label="Outcome",
        error_messages={"required": "Select the outcome"},
    )  # fmt: skip
    notes = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 3}), label="Outcome notes (optional)",
        help_text="Seen by the coordinators and the owning agency. The referrer sees the outcome "
        "only.",
    )  # fmt: skip
    closed_on = forms.DateField(required=False, label="Closed on (optional)",
                                help_text="YYYY-MM-DD; today if left blank")  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False  # posted to its own address from the referral's page
        self.helper.layout = Layout(
            Field.radios("outcome", legend_size=Size.SMALL, small=True),
            Field.textarea("notes", rows=3), Field.text("closed_on", field_width=10),
            Button("submit", "Close the referral"),
        )  # fmt: skip
