"""Structured logs without personal data (production).

Every line is one JSON object. What a line may carry is a fixed list of fields; a request
line names the route pattern (``datasets/<uuid:pk>/``), the view, the method, the status and
the time taken, never the path, the query string, the user or the client's address: who did
what is the audit trail's job (it is access-controlled and hash-chained), not the logs',
which are copied to log stores that many people read. Messages and tracebacks are also
scrubbed of what commonly leaks into them: e-mail addresses, IP addresses, API tokens, and
the values the database quotes in its error details (``Key (email)=(…)``, ``COPY …, line 3,
column name: "…"``). That scrubbing is a safety net, not a licence: code logs record
numbers and ids, never record values.
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from django.http import HttpRequest, HttpResponse

REQUEST_LOGGER = "socprofiles.requests"

# Extra fields a log record may carry into the JSON line (set with `extra=`).
ALLOWED_EXTRA = ("method", "route", "view", "status", "duration_ms", "task", "data_file")

_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    # Database error details quote the offending values.
    (re.compile(r"(DETAIL|CONTEXT):[^\n]*"), r"\1: [redacted]"),
    (re.compile(r"Key \([^)]*\)=\([^)]*\)"), "Key [redacted]"),
    (re.compile(r"\b[\w.+-]+@[\w-]+(\.[\w-]+)+\b"), "[email]"),
    (re.compile(r"\bsocp_[A-Za-z0-9_-]{8,}"), "[token]"),
    (re.compile(r"\bBearer\s+\S+", re.IGNORECASE), "Bearer [token]"),
    (re.compile(r"\b(?:\d{1,3}\.){3}\d{1,3}\b"), "[ip]"),
    # IPv6: the full form, or any form with "::" (so times such as 12:30:45 survive).
    (re.compile(r"\b(?:[0-9a-fA-F]{1,4}:){7}[0-9a-fA-F]{1,4}\b"), "[ip]"),
    (
        re.compile(
            r"(?<![\w:])(?:(?:[0-9a-fA-F]{1,4}:)*[0-9a-fA-F]{1,4})?::"
            r"(?:[0-9a-fA-F]{1,4}(?::[0-9a-fA-F]{1,4})*)?(?![\w:])"
        ),
        "[ip]",
    ),
    # UK postcodes: an address is personal data when it is someone's home.
    (re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b"), "[postcode]"),
]


def redact(text: str) -> str:
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


class RedactFilter(logging.Filter):
    """Scrub the message (with its arguments merged in) and drop the request object that
    Django's loggers attach, so no handler or formatter can print its headers or cookies."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: keep the template, not the arguments
            message = str(record.msg)
        request = getattr(record, "request", None)
        path = getattr(request, "path", "")
        if path and path != "/" and path in message:
            # Django's "Not Found: /path": name the route instead, as the request line does.
            match = getattr(request, "resolver_match", None)
            message = message.replace(path, match.route if match is not None else "[path]")
        record.msg = redact(message)
        record.args = ()
        record.redacted = True  # the formatter need not scrub it again
        if request is not None:
            record.request = None
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time (UTC), level, logger, message, the allowed extras, and
    the scrubbed traceback of an exception."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "pid": record.process,
            "message": record.getMessage()
            if getattr(record, "redacted", False)
            else redact(record.getMessage()),
        }
        for name in ALLOWED_EXTRA:
            value = getattr(record, name, None)
            if value is not None:
                line[name] = value
        if record.exc_info:
            line["exception"] = redact(self.formatException(record.exc_info))
        return json.dumps(line, ensure_ascii=False, default=str)


def production_logging(level: str = "INFO") -> dict[str, Any]:
    """The LOGGING setting for production: JSON lines on standard error, scrubbed."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"redact": {"()": "socprofiles.core.logs.RedactFilter"}},
        "formatters": {"json": {"()": "socprofiles.core.logs.JsonFormatter"}},
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": "json",
                "filters": ["redact"],
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "django.db.backends": {"level": "WARNING"},
            "axes": {"level": "WARNING"},
            # runserver's own access lines carry the client's address; not used in production
            "django.server": {"level": "WARNING"},
        },
    }


class RequestLogMiddleware:
    """One line per request: method, route pattern, view, status and milliseconds."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.logger = logging.getLogger(REQUEST_LOGGER)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        self.logger.info(
            "request",
            extra={
                "method": request.method,
                "route": match.route if match is not None else "(unresolved)",
                "view": match.view_name if match is not None else "",
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
            },
        )
        return response
