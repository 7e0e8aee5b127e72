"""Errors a user can act on. The CLI prints them as one line and exits 2."""

from __future__ import annotations


class AuditorError(Exception):
    """A usage, configuration or input error: one line, no traceback.

    ``where`` names the file (and line) at fault, as ``FILE:LINE``.
    """

    def __init__(self, message: str, where: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.where = where

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


class ConfigError(AuditorError):
    """A malformed portal configuration, rule file or overrides file."""
