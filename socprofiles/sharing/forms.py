from __future__ import annotations

from typing import Any

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout
from django import forms

from socprofiles.accounts.models import User

from .models import FOI_EXEMPTIONS, FoiDecision, RecipientKind


class ShareRequestForm(forms.Form):
    recipient = forms.CharField(
        label="Recipient's user name",
        help_text="The person outside the partnership who needs to read the profile.",
        error_messages={"required": "Give the recipient's user name."},
    )
    recipient_kind = forms.ChoiceField(label="Who they are", choices=RecipientKind.choices)
    rationale = forms.CharField(
        label="Why they need it", widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say why they need the profile."},
    )  # fmt: skip
    expires_on = forms.DateField(
        label="Last day of access", required=False,
        help_text="For example 2027-06-30. Leave empty for no end date (a year at most is "
        "advised).",
    )  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.text("recipient", field_width=20), Field.select("recipient_kind"),
            Field.textarea("rationale"), Field.text("expires_on", field_width=10),
            Button("submit", "Ask to share"),
        )  # fmt: skip

    def clean_recipient(self) -> User:
        username = self.cleaned_data["recipient"].strip()
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise forms.ValidationError(f"There is no active account {username!r}.")
        return user


class DecisionForm(forms.Form):
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))


class StandingForm(forms.Form):
    username = forms.CharField(label="User name")
    label = forms.CharField(label="Who they are", help_text="For example “Regional policing lead”.")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.text("username", field_width=20), Field.text("label"),
            Button("submit", "Add to the standing distribution"),
        )  # fmt: skip

    def clean_username(self) -> User:
        username = self.cleaned_data["username"].strip()
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise forms.ValidationError(f"There is no active account {username!r}.")
        return user


class FeedbackForm(forms.Form):
    section = forms.ChoiceField(label="Section")
    text = forms.CharField(
        label="Your feedback", widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Write your feedback."},
    )  # fmt: skip

    def __init__(self, *args: Any, sections: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["section"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = sections
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.select("section"), Field.textarea("text"), Button("submit", "Send to the owner")
        )


class AnswerForm(forms.Form):
    answer = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))


class FoiForm(forms.Form):
    reference = forms.CharField(max_length=60, label="FOI reference")
    received_on = forms.DateField(label="Received on", help_text="For example 2027-02-14.")
    summary = forms.CharField(label="What is asked for", widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.text("reference", field_width=20), Field.text("received_on", field_width=10),
            Field.textarea("summary"), Button("submit", "Add to the log"),
        )  # fmt: skip


class FoiDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[c for c in FoiDecision.choices if c[0] != FoiDecision.PENDING]
    )
    exemptions = forms.MultipleChoiceField(
        choices=FOI_EXEMPTIONS, required=False, widget=forms.CheckboxSelectMultiple,
        label="Exemptions considered",
    )  # fmt: skip
    reasoning = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.select("decision"), Field.checkboxes("exemptions"), Field.textarea("reasoning"),
            Button("submit", "Record the decision"),
        )  # fmt: skip
