"""Errors services raise for the caller to show as a human message."""


class ServiceError(Exception):
    """A request that breaks a business rule. The message is shown to the user as it is,
    so it must say what was wrong and what to do instead, and must not disclose anything
    the user may not see."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
