from __future__ import annotations

from typing import Any

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout
from django import forms
from django.contrib.auth.forms import AuthenticationForm

from .models import Partnership, PartnershipRole, User


def _helper(*fields: Any, submit: str, method: str = "post") -> FormHelper:
    helper = FormHelper()
    helper.form_method = method
    helper.layout = Layout(*fields, Button("submit", submit))
    return helper


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "Enter a correct user name and password. Both are case-sensitive.",
        "inactive": "This account cannot sign in. Ask your platform administrator.",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "User name"
        self.fields["username"].widget.attrs.update({"autocomplete": "username"})
        self.fields["password"].widget.attrs.update({"autocomplete": "current-password"})
        self.helper = _helper(
            Field.text("username", field_width=20),
            Field.text("password", field_width=20),
            submit="Sign in",
        )


class TokenForm(forms.Form):
    token = forms.CharField(
        label="Security code",
        help_text="The 6-digit code your authenticator app shows now.",
        min_length=6,
        max_length=6,
        error_messages={
            "required": "Enter the 6-digit security code from your authenticator app.",
            "min_length": "The security code has 6 digits.",
            "max_length": "The security code has 6 digits.",
        },
    )

    def __init__(self, *args: Any, submit: str = "Continue", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["token"].widget.attrs.update(
            {"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}
        )
        self.helper = _helper(Field.text("token", field_width=5), submit=submit)

    def clean_token(self) -> str:
        token = self.cleaned_data["token"].replace(" ", "")
        if not token.isdigit():
            raise forms.ValidationError("The security code is made of digits only.")
        return token


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.display_name}, {obj.organisation}"


class MembershipAddForm(forms.Form):
    user = PersonChoiceField(
        queryset=User.objects.none(),
        label="Person",
        help_text="People in the partnership's member organisations who are not members yet.",
        error_messages={"required": "Choose the person to add."},
    )
    role = forms.ChoiceField(
        choices=PartnershipRole.choices,
        label="Role",
        error_messages={"required": "Choose the person's role."},
    )

    def __init__(self, *args: Any, eligible: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["user"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = eligible
        self.helper = _helper(
            Field.select("user"), Field.radios("role", small=True), submit="Add member"
        )


class MembershipRoleForm(forms.Form):
    role = forms.ChoiceField(choices=PartnershipRole.choices, label="New role")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field.radios("role", small=True), submit="Change role")


class PositionsForm(forms.Form):
    police_lead = forms.ModelChoiceField(
        queryset=User.objects.none(),
        required=False,
        label="Police lead and profile owner",
        help_text="Must have the owner role (guide 4.9).",
    )
    pcc_lead = forms.ModelChoiceField(
        queryset=User.objects.none(), required=False, label="PCC lead"
    )
    police_contact = forms.ModelChoiceField(
        queryset=User.objects.none(),
        required=False,
        label="Point of contact in the policing team",
    )
    council_contact = forms.ModelChoiceField(
        queryset=User.objects.none(),
        required=False,
        label="Point of contact in the local authority",
    )

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        members = User.objects.filter(memberships__partnership=partnership).order_by("full_name")
        for name in ("police_lead", "pcc_lead", "police_contact", "council_contact"):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = members
            field.empty_label = "Nobody named"
        self.helper = _helper(
            *(Field.select(n) for n in ("police_lead", "pcc_lead", "police_contact")),
            Field.select("council_contact"),
            submit="Save positions",
        )


class DirectoryFilterForm(forms.Form):
    q = forms.CharField(required=False, label="Name or code", max_length=100)
    kind = forms.ChoiceField(required=False, label="Kind")

    def __init__(self, *args: Any, kinds: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["kind"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "All kinds"), *kinds]
        self.helper = _helper(
            Field.text("q", field_width=20), Field.select("kind"), submit="Filter", method="get"
        )
