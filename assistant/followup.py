"""Resolve elliptical follow-up questions ("entä Lapissa?", "and in Lapland?") against earlier turns."""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.records import Turn
from assistant.regions import mentioned_regions, strip_regions

_FOLLOW_UP = re.compile(
    r"^\s*(entä|entäs|kuin myös|ja|mites|miten on|and|what about|how about|and in|och|hur är det|hur är det med|"
    r"men|samma för)\b",
    re.IGNORECASE,
)
_MAX_ELLIPTICAL_WORDS = 6


def is_follow_up(question: str) -> bool:
    """Short questions that lean on the previous one: "Entä Lapissa?", "And Soite?"."""
    words = question.split()
    return bool(_FOLLOW_UP.match(question)) and len(words) <= _MAX_ELLIPTICAL_WORDS + 2 or (
        len(words) <= 3 and bool(mentioned_regions(question)))


def resolve(question: str, history: Sequence[Turn]) -> str:
    """The question to retrieve with: an elliptical follow-up is merged with the last user question.

    >>> resolve("entä Lapissa?", [Turn("user", "Mitä Omaolo-palveluja Soitella on?")])
    'Mitä Omaolo-palveluja on? Lapissa'
    """
    previous = next((t.content for t in reversed(history) if t.role == "user" and t.content.strip()), "")
    if not previous or not is_follow_up(question):
        return question
    rest = _FOLLOW_UP.sub("", question, count=1).strip(" ?!.,")
    if mentioned_regions(question):
        return f"{strip_regions(previous)} {rest}".strip()
    return f"{previous} {rest}".strip()
