from __future__ import annotations

from typing import Any

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Fieldset, Layout, Size
from django import forms

from socprofiles.accounts.forms import PersonChoiceField
from socprofiles.accounts.models import User

from .engine import Model, default_models


def model_choices() -> list[tuple[str, str]]:
    return [(k, f"{m.title} ({m.id})") for k, m in sorted(default_models().items()) if "@" not in k]


class AssessmentForm(forms.Form):
    title = forms.CharField(
        max_length=200,
        help_text="For example “Strategic assessment 2027”.",
        error_messages={"required": "Give the assessment a title."},
    )
    model = forms.ChoiceField(
        label="MoRiLE model", help_text="Thematic for issues; tactical for people and groups."
    )
    purpose = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["model"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = model_choices()
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.text("title"),
            Field.select("model"),
            Field.textarea("purpose"),
            Button("submit", "Start the assessment"),
        )


class IssueForm(forms.Form):
    name = forms.CharField(
        max_length=200, label="Issue", error_messages={"required": "Name the issue."}
    )
    theme = forms.CharField(
        max_length=120, required=False, help_text="For example Cybercrime, Youth, Violence."
    )
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.text("name"),
            Field.text("theme", field_width=20),
            Field.textarea("description"),
            Button("submit", "Add the issue"),
        )


class IssueImportForm(forms.Form):
    file = forms.FileField(
        label="A list of issues",
        help_text="CSV or .xlsx with the columns Theme, Issue and (optionally) Description.",
        error_messages={"required": "Choose the file."},
    )


class ScorerForm(forms.Form):
    user = PersonChoiceField(
        queryset=User.objects.none(),
        label="Scorer",
        error_messages={"required": "Choose who scores."},
    )

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["user"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = people


class GradingForm(forms.Form):
    """One field per organisational-position total whose multiplier is not published."""

    def __init__(self, *args: Any, grading: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.totals = grading.assumed()
        for total in self.totals:
            self.fields[f"total_{total}"] = forms.FloatField(
                label=f"Multiplier for a total of {total}",
                min_value=0.01,
                max_value=10,
                initial=grading.points[total],
                error_messages={
                    "required": f"Give the multiplier for a total of {total}.",
                    "invalid": f"The multiplier for a total of {total} must be a number.",
                },
                widget=forms.NumberInput(attrs={"step": "0.05"}),
            )
        self.helper = FormHelper()
        self.helper.layout = Layout(
            *[Field.text(f"total_{total}", field_width=5) for total in self.totals],
            Button("submit", "Save the multipliers"),
        )

    def points(self) -> dict[int, float]:
        return {total: self.cleaned_data[f"total_{total}"] for total in self.totals}


class ShortlistForm(forms.Form):
    size = forms.IntegerField(
        min_value=1,
        required=False,
        label="Keep the top",
        help_text="How many issues become the profile's priorities.",
    )
    threshold = forms.FloatField(
        min_value=0, required=False, label="Or keep every issue scoring at least"
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (data.get("size") is None) == (data.get("threshold") is None):
            raise forms.ValidationError(
                "Fill in one of the two: how many to keep, or the score to reach."
            )
        return data


class ScoreForm(forms.Form):
    """One radio group per factor, grouped by the model's factor groups."""

    rationale = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, label="Why (optional)",
        help_text="What you know that led to these scores.",
    )  # fmt: skip

    def __init__(
        self,
        *args: Any,
        model: Model,
        require_rationale: bool = False,
        submit: str = "Save the scores",
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.model = model
        fieldsets = []
        for group, keys in model.groups.items():
            for key in keys:
                factor = model.factor(key)
                self.fields[key] = forms.ChoiceField(
                    label=factor.label,
                    help_text=factor.description,
                    choices=[
                        (f"{level.value:g}", f"{level.value:g}: {level.label}")
                        for level in factor.levels
                    ],
                    widget=forms.RadioSelect,
                    error_messages={"required": f"Choose a score for {factor.label.lower()}."},
                )
            fieldsets.append(
                Fieldset(
                    *(
                        Field.radios(k, small=True, inline=True, legend_size=Size.SMALL)
                        for k in keys
                    ),
                    legend=model.group_labels[group],
                    legend_size=Size.MEDIUM,
                )
            )
        if require_rationale:
            self.fields["rationale"].required = True
            self.fields["rationale"].label = "Why these scores were agreed"
            self.fields["rationale"].error_messages["required"] = (
                "Record why these scores were agreed."
            )
        self.order_fields([*model.factor_keys, "rationale"])
        self.helper = FormHelper()
        self.helper.layout = Layout(
            *fieldsets, Field.textarea("rationale"), Button("submit", submit)
        )

    def values(self) -> dict[str, float]:
        return {key: float(self.cleaned_data[key]) for key in self.model.factor_keys}
