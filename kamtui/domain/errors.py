"""Errors raised by the pure domain layer."""

from __future__ import annotations


class DomainError(Exception):
    """Base class of every error the domain raises."""


class ValidationError(DomainError, ValueError):
    """A value does not fit a field. The message names the field and says why."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.reason = message
        super().__init__(f"{field}: {message}")


class ImportFileError(DomainError):
    """A CSV file as a whole cannot be imported (unreadable, no header, no name column)."""


class MappingError(DomainError, ValueError):
    """A ``--map`` or ``--kind`` the file does not fit: a usage problem, not a data one."""


class UnknownKind(MappingError):
    """The columns do not tell whether the file holds accounts, contacts or deals: the user says
    which (``--kind`` on the command line, the "Records" field in the TUI)."""
