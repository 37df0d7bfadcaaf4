"""How far a practice has come, read from one evidence sentence by Finnish morphology and cue words.

- in use: "on käytössä", "toiminnassa", "tuotannossa", "vakiintunut"; an implementation verb in the past
  ("otettiin käyttöön", "on käynnistetty", "aloitti"); a verb of use in the present inside a sentence
  ("Omaoloa käytetään…", "kotisairaala toimii…").
- pilot: "pilotti", "pilotoidaan", "kokeilu", "kokeillaan" (also inside compounds: "pilottikoulu").
- planned: "suunnitellaan", "valmistellaan", "tavoitteena", "tarkoitus", "suunnitteilla"; an implementation
  verb in the present passive ("Otetaan käyttöön", "Perustetaan" — the voice of a plan); the conditional;
  "tullaan ottamaan"; anything in use that is negated ("ei ole vielä otettu käyttöön").
- mentioned: none of these.

When a region's sentences disagree, the most advanced status with evidence wins.
"""

from __future__ import annotations

from collections.abc import Sequence

from assistant.cues import (
    IMPLEMENT_VERBS,
    IN_USE_NOUNS,
    IN_USE_VERBS,
    IN_USE_WORDS,
    PILOT_LEMMAS,
    PLAN_LEMMAS,
)
from assistant.morphology import Morph, analyse_text
from assistant.records import Status

ORDER: dict[Status, int] = {"in_use": 3, "pilot": 2, "planned": 1, "mentioned": 0, "not_found": -1}
_PAST = {"past_imperfective"}
_PAST_PARTICIPLES = {"past_passive", "past_active"}
_NEGATIONS = {"ei", "eivät", "en", "emme", "eikä", "ilman"}
_WINDOW = 4  # words between a negation and what it negates


def _verb(m: Morph) -> str:
    return m.verb or m.lemma


def _cue(morphs: Sequence[Morph], i: int) -> Status | None:
    m = morphs[i]
    lemma, verb = m.lemma, _verb(m)
    if lemma.startswith("pilot") or "kokeilu" in lemma or lemma in PILOT_LEMMAS or verb in PILOT_LEMMAS:
        return "pilot"
    if m.word in IN_USE_WORDS or (lemma in IN_USE_NOUNS and m.case == "sisaolento"):
        return "in_use"
    if lemma in PLAN_LEMMAS or verb in PLAN_LEMMAS or m.mood == "conditional":
        return "planned"
    if verb in IMPLEMENT_VERBS:
        if m.tense in _PAST or m.participle in _PAST_PARTICIPLES:
            return "in_use"
        if m.passive and m.tense == "present_simple":
            return "planned"  # "Otetaan käyttöön", "Perustetaan": a plan's actions
        if verb == "alkaa" and m.tense == "present_simple":
            return "planned"
    if verb in IN_USE_VERBS and m.mood == "indicative" and m.tense == "present_simple":
        # Sentence-initial passive ("Hyödynnetään olemassa olevaa…") is a plan's to-do, not a fact.
        return "planned" if i == 0 and m.passive else "in_use"
    if lemma == "tulla" and i + 1 < len(morphs) and morphs[i + 1].word.endswith(("maan", "mään")):
        return "planned"  # "tullaan ottamaan käyttöön"
    return None


def classify(text: str) -> Status:
    """The status one sentence gives its practice.

    >>> classify("Omaolo otettiin käyttöön vuonna 2021."), classify("Omaolo otetaan käyttöön vuonna 2023.")
    ('in_use', 'planned')
    >>> classify("Yöpartiota pilotoidaan Kokkolassa."), classify("Kotisairaala mainitaan raportissa.")
    ('pilot', 'mentioned')
    """
    morphs = analyse_text(text)
    best: Status = "mentioned"
    for i in range(len(morphs)):
        status = _cue(morphs, i)
        if status is None:
            continue
        negated = any(w.word in _NEGATIONS for w in morphs[max(0, i - _WINDOW):i])
        if negated and status in ("in_use", "pilot"):
            status = "planned"
        if ORDER[status] > ORDER[best]:
            best = status
    return best


def decide(texts: Sequence[str]) -> tuple[Status, int]:
    """The most advanced status among ``texts`` (strongest evidence first) and the index of the sentence
    that decided it (the first one with that status)."""
    statuses = [classify(t) for t in texts]
    if not statuses:
        return "not_found", -1
    best = max(statuses, key=lambda s: ORDER[s])
    return best, statuses.index(best)
