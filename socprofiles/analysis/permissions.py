"""Who may see a partnership's threat picture: its members in every role (owners,
authors, members and readers). Everyone else gets 404 from the selectors."""

from __future__ import annotations

from typing import Any

from socprofiles.accounts.models import Partnership
from socprofiles.accounts.permissions import partnership_role


def can_view_analysis(user: Any, partnership: Partnership) -> bool:
    return partnership_role(user, partnership) is not None
