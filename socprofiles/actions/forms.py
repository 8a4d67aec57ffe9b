from __future__ import annotations

from typing import Any

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout
from django import forms

from socprofiles.profiles.models import Strand

from .models import Power, Status


class ActionForm(forms.Form):
    strand = forms.ChoiceField(choices=Strand.choices)
    recommendation = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))
    owner_organisations = forms.MultipleChoiceField(
        required=False, widget=forms.CheckboxSelectMultiple, label="Owning organisations"
    )
    owner = forms.ChoiceField(required=False, label="Named owner")
    review_on = forms.DateField(required=False, label="Review date", help_text="YYYY-MM-DD")

    def __init__(
        self, *args: Any, organisations: list[Any], people: list[Any], editing: bool = False,
        **kwargs: Any,
    ) -> None:  # fmt: skip
        super().__init__(*args, **kwargs)
        orgs = self.fields["owner_organisations"]
        assert isinstance(orgs, forms.MultipleChoiceField)
        orgs.choices = [(str(o.pk), o.name) for o in organisations]
        owner = self.fields["owner"]
        assert isinstance(owner, forms.ChoiceField)
        owner.choices = [("", "Nobody yet")] + [
            (str(p.pk), f"{p.display_name} ({p.organisation.name if p.organisation else '-'})")
            for p in people
        ]
        if editing:
            del self.fields["strand"]
        self.helper = FormHelper()
        self.helper.layout = Layout(
            *([] if editing else [Field.select("strand")]),
            Field.textarea("recommendation"), Field.checkboxes("owner_organisations"),
            Field.select("owner"), Field.text("review_on", field_width=10),
            Button("submit", "Save the action" if editing else "Add the action"),
        )  # fmt: skip


class MilestoneForm(forms.Form):
    text = forms.CharField(label="Milestone")
    due_on = forms.DateField(label="Due", help_text="YYYY-MM-DD")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.text("text"), Field.text("due_on", field_width=10),
            Button("submit", "Add the milestone"),
        )  # fmt: skip


class ProgressForm(forms.Form):
    status = forms.ChoiceField(choices=Status.choices)
    text = forms.CharField(label="What has happened", widget=forms.Textarea(attrs={"rows": 3}))
    evidence = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text="What shows it. Needed to complete the action.",
    )  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.select("status"), Field.textarea("text"), Field.textarea("evidence"),
            Button("submit", "Add the update"),
        )  # fmt: skip


class DisruptionForm(forms.Form):
    power = forms.ChoiceField(choices=Power.choices, label="Tool or power")
    agency = forms.ChoiceField(label="Agency")
    occurred_on = forms.DateField(label="Date", help_text="YYYY-MM-DD")
    count = forms.IntegerField(min_value=1, initial=1, label="How many")
    action = forms.ChoiceField(required=False, label="Action it delivers")
    ocg_ref = forms.CharField(required=False, max_length=60, label="OCG reference")
    lsoa_code = forms.CharField(required=False, max_length=9, label="LSOA code")
    escalated_from = forms.ChoiceField(required=False, label="Escalated from")
    value_gbp = forms.DecimalField(
        required=False, min_value=0, max_digits=12, decimal_places=2, label="Value (£)"
    )
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(
        self, *args: Any, agencies: list[Any], actions: list[Any], earlier: list[Any],
        **kwargs: Any,
    ) -> None:  # fmt: skip
        super().__init__(*args, **kwargs)
        for name, choices in (
            ("agency", [(str(a.pk), a.name) for a in agencies]),
            ("action", [("", "None")] + [(str(a.pk), str(a)) for a in actions]),
            ("escalated_from", [("", "None")] + [(str(d.pk), f"{d} on {d.occurred_on}")
                                                for d in earlier]),
        ):  # fmt: skip
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = choices
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.select("power"), Field.select("agency"),
            Field.text("occurred_on", field_width=10), Field.text("count", field_width=4),
            Field.select("action"), Field.text("ocg_ref", field_width=10),
            Field.text("lsoa_code", field_width=10), Field.select("escalated_from"),
            Field.text("value_gbp", field_width=10), Field.textarea("notes"),
            Button("submit", "Record"),
        )  # fmt: skip


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Action plan (.xlsx)",
        help_text="Columns: Strand, Recommendation, Milestone, Milestone due, Ownership "
        "(member organisations, separated by ;), Review.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(Field("file"), Button("submit", "Import the plan"))
