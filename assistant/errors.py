"""Errors written for the person who meets them: what happened and what to do next."""

from __future__ import annotations


class AssistantError(Exception):
    """Base error; ``status`` is the HTTP status the API answers with."""

    status = 500

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidQuestion(AssistantError):
    status = 422


class NotFound(AssistantError):
    status = 404


class IndexMissing(AssistantError):
    status = 503


class EmbedderMismatch(AssistantError):
    status = 503


class UnreadableDocument(AssistantError):
    """A corpus file that cannot be read; the indexer reports it and goes on."""

    status = 422

    def __init__(self, name: str, reason: str) -> None:
        super().__init__(f"{name}: {reason}")
        self.name = name
        self.reason = reason


class MissingDependency(AssistantError):
    status = 500


class Unauthorized(AssistantError):
    status = 401


class Forbidden(AssistantError):
    status = 403


class IndexBusy(AssistantError):
    """Another process holds the index folder's write lock."""

    status = 409


class TooLarge(AssistantError):
    status = 413


class RateLimited(AssistantError):
    """Too many requests from one client; ``retry_after`` is the whole number of seconds to wait."""

    status = 429

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after
