"""The exceptions salescore raises.

Every engine failure arrives as a subclass of :class:`Error` chosen from the engine's
status code; this module is the one place that maps codes to classes.
"""

from __future__ import annotations

from typing import Mapping


class Error(Exception):
    """Base of every salescore error.

    ``code`` is the engine's stable code name ("not_found", "invalid_argument", ...),
    ``reason`` the engine's refinement of it ("stage_gate", "approval_required", ...; ""
    when none), the same pair a REST error body carries as ``code`` and ``reason``;
    ``message`` what went wrong, ``fields`` field name -> problem when the error is
    about particular fields (empty otherwise).
    """

    retryable = False  # True where retrying later, unchanged, may succeed

    def __init__(self, message: str, *, code: str = "internal", fields: Mapping[str, str] | None = None,
                 reason: str = ""):
        super().__init__(message)
        self.code = code
        self.reason = reason
        self.message = message
        self.fields: dict[str, str] = dict(fields or {})


class NotFound(Error):
    """The addressed record does not exist (or the acting user may not see it)."""


class ValidationError(Error):
    """The input is wrong; ``fields`` names every bad field and what is wrong with it."""


class AccessDenied(Error):
    """The acting user may not do this."""


class FailedPrecondition(Error):
    """The record's state forbids this now (a closed visit, a read-only database, ...):
    change the state first; retrying as is fails the same way. ``reason`` says which
    rule; the two a caller most often handles have classes of their own below."""


class StageGateError(FailedPrecondition):
    """A deal may not move on until the fields its stage needs are filled; ``missing``
    lists them."""

    @property
    def missing(self) -> list[str]:
        return sorted(self.fields)


class ApprovalRequired(FailedPrecondition):
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


class InternalError(Error):
    """A bug or a broken invariant in salescore; the message says where."""


_CLASS_OF_CODE: dict[str, type[Error]] = {
    "invalid_argument": ValidationError,
    "not_found": NotFound,
    "already_exists": AlreadyExists,
    "permission_denied": AccessDenied,
    "unauthenticated": AccessDenied,
    "failed_precondition": FailedPrecondition,
    "conflict": Conflict,
    "internal": InternalError,
    "unavailable": Unavailable,
    "deadline_exceeded": Unavailable,
    "resource_exhausted": Unavailable,
}


_CLASS_OF_REASON: dict[str, type[Error]] = {
    "stage_gate": StageGateError,
    "approval_required": ApprovalRequired,
}


def _from_status(code: str, message: str, fields: Mapping[str, str], reason: str = "") -> Error:
    """The exception for an engine Status; called by the native module. One class per
    code, refined by the Status's reason where a class names it (a stage gate and an
    approval requirement are both failed_precondition in the engine); docs/api.md
    "Errors" has the table, the same on REST."""
    refined = _CLASS_OF_REASON.get(reason) if code == "failed_precondition" else None
    cls = refined or _CLASS_OF_CODE.get(code, Error)
    return cls(message, code=code, fields=fields, reason=reason)
