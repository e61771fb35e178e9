"""The exceptions salescore raises.

Every engine failure arrives as a subclass of :class:`Error` chosen from the engine's
status code; this module is the one place that maps codes to classes.
"""

from __future__ import annotations

from typing import Mapping


class Error(Exception):
    """Base of every salescore error.

    ``code`` is the engine's stable code name ("not_found", "invalid_argument", ...),
    ``message`` what went wrong, ``fields`` field name -> problem when the error is
    about particular fields (empty otherwise).
    """

    retryable = False  # True where retrying later, unchanged, may succeed

    def __init__(self, message: str, *, code: str = "internal", fields: Mapping[str, str] | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.fields: dict[str, str] = dict(fields or {})


class NotFound(Error):
    """The addressed record does not exist (or the acting user may not see it)."""


class ValidationError(Error):
    """The input is wrong; ``fields`` names every bad field and what is wrong with it."""


class AccessDenied(Error):
    """The acting user may not do this."""


class StageGateError(Error):
    """A deal may not move on until the fields its stage needs are filled; ``missing``
    lists them."""

    @property
    def missing(self) -> list[str]:
        return sorted(self.fields)


class ApprovalRequired(Error):
    """The change needs a head's approval first."""


class Conflict(Error):
    """A concurrent change won: re-read the record and try again."""

    retryable = True


class AlreadyExists(Conflict):
    """A unique key (SKU, login, source + external id) is already taken. Retrying the
    same call fails the same way."""

    retryable = False


class Unavailable(Error):
    """Transient: the database is busy or a peer is down. Retry with backoff."""

    retryable = True


_CLASS_OF_CODE: dict[str, type[Error]] = {
    "invalid_argument": ValidationError,
    "not_found": NotFound,
    "already_exists": AlreadyExists,
    "permission_denied": AccessDenied,
    "unauthenticated": AccessDenied,
    "conflict": Conflict,
    "unavailable": Unavailable,
    "deadline_exceeded": Unavailable,
    "resource_exhausted": Unavailable,
}


_CLASS_OF_REASON: dict[str, type[Error]] = {
    "stage_gate": StageGateError,
    "approval_required": ApprovalRequired,
}


def _from_status(code: str, message: str, fields: Mapping[str, str], reason: str = "") -> Error:
    """The exception for an engine Status; called by the native module. The Status's
    reason refines its code: a stage gate and an approval requirement are both
    failed_precondition in the engine."""
    refined = _CLASS_OF_REASON.get(reason) if code == "failed_precondition" else None
    cls = refined or _CLASS_OF_CODE.get(code, Error)
    return cls(message, code=code, fields=fields)
