from __future__ import annotations

from typing import Any

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout
from django import forms

from .models import (
    CRIME_MARKETS,
    AssociationKind,
    Band,
    GroupStatus,
    Measure,
    OperationStatus,
    Role,
)

DATE_HELP = "YYYY-MM-DD"


def _set_choices(form: forms.Form, name: str, choices: list[tuple[str, str]]) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices


class GroupForm(forms.Form):
    reference = forms.CharField(
        max_length=60, label="OCG reference",
        help_text="Your organisation's own reference for the group.",
    )  # fmt: skip
    name = forms.CharField(max_length=200, required=False, label="Name or operation name")
    status = forms.ChoiceField(choices=GroupStatus.choices)
    band = forms.ChoiceField(choices=[("", "Not yet banded"), *Band.choices], required=False,
                             label="Mapping band")  # fmt: skip
    threat_score = forms.IntegerField(
        min_value=0, max_value=1_000_000, required=False, label="Threat score",
        help_text="The mapping's threat score, if it gives one.",
    )  # fmt: skip
    crime_markets = forms.MultipleChoiceField(
        required=False, widget=forms.CheckboxSelectMultiple, label="Crime markets"
    )
    other_markets = forms.CharField(
        required=False, label="Other crime markets", help_text="Separate them with semicolons."
    )
    lead_officer = forms.ChoiceField(required=False, label="Lead responsible officer")
    partnership = forms.ChoiceField(
        required=False, label="Partnership", help_text="Whose 4P plan tackles the group."
    )
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(
        self, *args: Any, people: list[Any], partnerships: list[Any],
        markets: list[str] | None = None, editing: bool = False, **kwargs: Any,
    ) -> None:  # fmt: skip
        super().__init__(*args, **kwargs)
        known = [*CRIME_MARKETS, *[m for m in markets or [] if m not in CRIME_MARKETS]]
        _set_choices(self, "crime_markets", [(m, m) for m in known])
        _set_choices(self, "lead_officer", [("", "Nobody yet")]
                     + [(str(p.pk), p.display_name) for p in people])  # fmt: skip
        _set_choices(self, "partnership", [("", "None")]
                     + [(str(p.pk), p.name) for p in partnerships])  # fmt: skip
        if editing:
            del self.fields["reference"]
        self.helper = FormHelper()
        self.helper.layout = Layout(
            *([] if editing else [Field.text("reference", field_width=20)]),
            Field.text("name"), Field.select("status"), Field.select("band"),
            Field.text("threat_score", field_width=5),
            Field.checkboxes("crime_markets", small=True), Field.text("other_markets"),
            Field.select("lead_officer"), Field.select("partnership"),
            Field.textarea("notes"),
            Button("submit", "Save the group" if editing else "Add the group"),
        )  # fmt: skip

    def markets(self) -> list[str]:
        other = [m.strip() for m in self.cleaned_data["other_markets"].split(";") if m.strip()]
        return [*self.cleaned_data["crime_markets"], *other]


class MemberForm(forms.Form):
    nominal = forms.CharField(
        max_length=80, label="Nominal reference",
        help_text="Your organisation's reference for the person, as held in GAIN.",
    )  # fmt: skip
    role = forms.ChoiceField(choices=Role.choices, initial=Role.MEMBER)
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False  # posted to its own address from another page
        self.helper.layout = Layout(
            Field.text("nominal", field_width=20), Field.select("role"), Field.textarea("note"),
            Button("submit", "Add the member"),
        )  # fmt: skip


class MemberEditForm(forms.Form):
    role = forms.ChoiceField(choices=Role.choices)
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.select("role"), Field.textarea("note"), Button("submit", "Save the member")
        )


class AssociationForm(forms.Form):
    left = forms.CharField(max_length=80, label="From (nominal reference)",
                           help_text="A member of the group.")  # fmt: skip
    kind = forms.ChoiceField(choices=AssociationKind.choices, label="Kind of link")
    right = forms.CharField(max_length=80, label="To (nominal reference)",
                            help_text="Any of your organisation's nominals: a person, business, "
                            "vehicle or premises.")  # fmt: skip
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False  # posted to its own address from another page
        self.helper.layout = Layout(
            Field.text("left", field_width=20), Field.select("kind"),
            Field.text("right", field_width=20), Field.textarea("note"),
            Button("submit", "Add the link"),
        )  # fmt: skip


class ActionsForm(forms.Form):
    actions = forms.MultipleChoiceField(
        required=False, widget=forms.CheckboxSelectMultiple, label="4P actions"
    )

    def __init__(self, *args: Any, actions: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_choices(
            self, "actions",
            [(str(a.pk), f"{a.get_strand_display()}: {a.recommendation[:100]}") for a in actions],
        )  # fmt: skip
        self.helper = FormHelper()
        self.helper.form_tag = False  # posted to its own address from another page
        self.helper.layout = Layout(
            Field.checkboxes("actions", small=True), Button("submit", "Save the linked actions")
        )


class OperationForm(forms.Form):
    name = forms.CharField(max_length=200, label="Operation name")
    planned_on = forms.DateField(label="Planned date", help_text=DATE_HELP)
    description = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What partners need to know: the target, the aims, the briefing.",
    )  # fmt: skip
    group = forms.ChoiceField(
        required=False, label="Your organisation's group it targets",
        help_text="Seen by your organisation only; partners see the description.",
    )  # fmt: skip
    status = forms.ChoiceField(choices=OperationStatus.choices)
    powers = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}),
        label="Your organisation's planned powers and tactics",
    )  # fmt: skip

    def __init__(self, *args: Any, groups: list[Any], editing: bool = False,
                 **kwargs: Any) -> None:  # fmt: skip
        super().__init__(*args, **kwargs)
        _set_choices(self, "group", [("", "None")] + [(str(g.pk), str(g)) for g in groups])
        if editing:
            del self.fields["powers"]
        else:
            del self.fields["status"]
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.text("name"), Field.text("planned_on", field_width=10),
            Field.textarea("description"), Field.select("group"),
            Field.select("status") if editing else Field.textarea("powers"),
            Button("submit", "Save the operation" if editing else "Plan the operation"),
        )  # fmt: skip


class ParticipantForm(forms.Form):
    organisation = forms.ChoiceField(label="Agency")
    powers = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}),
        label="Planned powers and tactics",
        help_text="For example: prohibition notices, vehicle checks, tenancy enforcement.",
    )  # fmt: skip

    def __init__(self, *args: Any, organisations: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_choices(self, "organisation", [(str(o.pk), o.name) for o in organisations])
        self.helper = FormHelper()
        self.helper.form_tag = False  # posted to its own address from another page
        self.helper.layout = Layout(
            Field.select("organisation"), Field.textarea("powers"),
            Button("submit", "Add the agency"),
        )  # fmt: skip


class OutcomeForm(forms.Form):
    measure = forms.ChoiceField(choices=Measure.choices, label="Result")
    quantity = forms.IntegerField(
        min_value=1, max_value=2_000_000_000, label="How many (or pounds, for cash)"
    )
    note = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Needed for Other: for example, 2 stolen caravans recovered.",
    )  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False  # posted to its own address from another page
        self.helper.layout = Layout(
            Field.select("measure"), Field.text("quantity", field_width=10),
            Field.textarea("note"), Button("submit", "Record the result"),
        )  # fmt: skip
