"""Limits on what one corpus file may cost, and a check that its text is language, not data.

A 20 MB single-line text file once became 40 507 chunks and ~70 minutes of embedding; random bytes
became 43 chunks of noise. Each check here refuses such a file with the numbers, the reason and the
setting to change; the indexer reports it as skipped and goes on with the rest.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from assistant.errors import UnreadableDocument

EMBED_CHUNKS_PER_S = 8  # measured: the bundled embedder on this project's 2-core machine (README)
# Real documents read as words almost entirely (the bundled ones: >= 95 % of their characters, >= 93 %
# letters); random bytes manage 4 %, base64 0 %, hex dumps 37 % letters. The thresholds sit in between.
MIN_WORD_SHARE = 0.5
MIN_LETTER_SHARE = 0.4
_EDGE = "\"'()[]{}<>.,:;!?*#•–—-/|"


@dataclass(frozen=True)
class Limits:
    """Per-document limits; 0 means no limit."""

    max_file_bytes: int = 50_000_000
    max_chunks: int = 3000
    chunk_step: int = 500  # characters each chunk advances: chunk size minus overlap

    @classmethod
    def of(cls, settings: Any) -> Limits:
        return cls(max_file_bytes=int(settings.max_file_mb * 1_000_000), max_chunks=settings.max_chunks,
                   chunk_step=max(1, settings.chunk_size - settings.chunk_overlap))


def _size(n: float) -> str:
    return f"{n / 1e6:.1f} MB" if n >= 1e6 else f"{n / 1e3:.0f} kB"


def _count(n: int) -> str:
    return f"{n:,}".replace(",", " ")


def file_too_big(size: int, limits: Limits) -> str | None:
    """Why a file of ``size`` bytes is refused, or None."""
    if not limits.max_file_bytes or size <= limits.max_file_bytes:
        return None
    return (f"the file is {_size(size)}, over the limit of {_size(limits.max_file_bytes)} per file "
            f"(ASSISTANT_MAX_FILE_MB={limits.max_file_bytes / 1e6:g}); split it into smaller files, or raise "
            "the limit")


def _too_many_chunks(chunks: int, limits: Limits, about: str) -> str:
    minutes = chunks / EMBED_CHUNKS_PER_S / 60
    took = f"about {minutes:.0f} minutes" if minutes >= 1 else "under a minute"
    return (f"it would make {about}{_count(chunks)} chunks ({took} of embedding), over the limit of "
            f"{_count(limits.max_chunks)} per document (ASSISTANT_MAX_CHUNKS); split the document, or raise "
            "the limit")


def check_length(name: str, text: str, limits: Limits) -> None:
    """Refuse text that would certainly exceed the chunk limit, before the cost of cleaning it.

    Chunks advance ``chunk_step`` characters, and headings only add cuts, so ``len / step`` is below
    the real count (0.9x on the bundled documents); twice the limit leaves room for what cleaning drops.
    """
    estimate = len(text) // limits.chunk_step
    if limits.max_chunks and estimate > 2 * limits.max_chunks:
        raise UnreadableDocument(name, _too_many_chunks(estimate, limits, "about "))


def check_chunks(name: str, chunks: int, limits: Limits) -> None:
    if limits.max_chunks and chunks > limits.max_chunks:
        raise UnreadableDocument(name, _too_many_chunks(chunks, limits, ""))


def language_shares(text: str) -> tuple[float, float]:
    """(share of characters in word-like tokens, share of letters among visible characters).

    A token is word-like when, without surrounding punctuation, at least 3/4 of it is letters or digits
    and it is not an unbroken run of more than 40 mixed characters (base64, hashes).

    >>> language_shares("Kotihoidon asiakkaita oli 1 250 (2022).")
    (1.0, 0.676)
    """
    tokens = text.split()
    total = sum(map(len, tokens))
    if not total:
        return 0.0, 0.0
    wordlike = 0
    for token in tokens:
        core = token.strip(_EDGE)
        if core and "_" not in core and sum(c.isalnum() for c in core) >= 0.75 * len(core) \
                and (len(core) <= 40 or core.isalpha()):
            wordlike += len(token)
    letters = sum(c.isalpha() for c in text)
    return round(wordlike / total, 3), round(letters / total, 3)


def check_language(name: str, text: str) -> None:
    """Refuse text that is not language: binary read as text, encoded data, number dumps."""
    words, letters = language_shares(text)
    if words < MIN_WORD_SHARE or letters < MIN_LETTER_SHARE:
        raise UnreadableDocument(
            name, f"does not look like text in any language (only {words:.0%} of it reads as words and "
                  f"{letters:.0%} as letters): binary or encoded data? Save the document again as text, "
                  "PDF or Word")
