"""A respondent's progress through the self-assessment, kept in a signed cookie in their
own browser and nowhere else: no session row, no database row, nothing on the server
until they submit, and then only the aggregate (models.Result).

The cookie is signed (it cannot be forged or edited: the time the assessment started and
the number of submissions are trusted), lasts until the browser closes and at most
MAX_AGE since it was last written, is sent only to /self-assessment/ and is not readable
by scripts."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse

COOKIE = "selfassessment"
SALT = "socprofiles.selfassessment.state"
PATH = "/self-assessment/"
MAX_AGE = 2 * 60 * 60  # seconds since the cookie was last written


@dataclass
class State:
    model: str
    started: float | None = None  # when the first question was shown (time.time())
    answers: dict[str, str] = field(default_factory=dict)
    district: str | None = None  # None: not asked yet; "": the respondent chose not to say
    submitted: int = 0  # submissions from this browser session
    result: str = ""  # the segment of the last submission, for the advice page

    def start(self) -> None:
        if self.started is None:
            self.started = time.time()

    def seconds_since_start(self) -> float:
        return time.time() - self.started if self.started is not None else 0.0

    def clear_answers(self) -> None:
        self.started, self.answers, self.district = None, {}, None


def read(request: HttpRequest, *, model: str) -> State:
    """The respondent's state, or a fresh one (no cookie, a forged or expired one, or one
    from another version of the questions). The submission count survives a new version."""
    raw = request.COOKIES.get(COOKIE)
    if not raw:
        return State(model=model)
    try:
        data: dict[str, Any] = signing.loads(raw, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        return State(model=model)
    submitted = int(data.get("n") or 0)
    if data.get("m") != model:
        return State(model=model, submitted=submitted)
    answers = data.get("a") or {}
    return State(
        model=model,
        started=float(data["s"]) if data.get("s") is not None else None,
        answers={str(k): str(v) for k, v in answers.items()} if isinstance(answers, dict) else {},
        district=data.get("d"),
        submitted=submitted,
        result=str(data.get("r") or ""),
    )


def write(response: HttpResponse, state: State) -> None:
    payload = {"m": state.model, "s": state.started, "a": state.answers, "d": state.district,
               "n": state.submitted, "r": state.result}  # fmt: skip
    response.set_cookie(
        COOKIE, signing.dumps(payload, salt=SALT, compress=True), path=PATH, httponly=True,
        samesite="Lax", secure=settings.SESSION_COOKIE_SECURE,
    )  # fmt: skip
