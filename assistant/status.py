"""How far a practice has come, read from one evidence sentence by Finnish morphology and cue words.

Strong cues:
- in use: "käytössä", "toiminnassa", "tuotannossa", "vakiintunut"; an implementation verb in the past tense
  or as a predicative past participle ("otettiin käyttöön", "on käynnistetty", "aloitti"); a verb of use in
  the present ("Omaoloa käytetään", "kotisairaala toimii", "menetelmää käyttävät kunnat").
- pilot: "pilotti", "pilotoidaan", "kokeilu", "kokeillaan", also inside compounds ("Palvelusetelikokeilu");
  a pilot that has started is still a pilot ("Palvelusetelikokeilu aloitettu").
- planned: "suunnitellaan", "valmistellaan", "tavoitteena", "tarkoitus", "suunnitteilla", "päätetty käyttää";
  an implementation verb in the present passive ("Otetaan käyttöön"); a sentence that opens with a present
  passive verb ("Laajennetaan…", "Selvitetään…": the voice of a plan); the conditional; "tullaan
  ottamaan"; anything in use that is negated ("ei ole vielä otettu käyttöön").
Weak cues, read only when no strong cue is found: a present-tense "on" that is not an auxiliary (a state:
"Kotikuntoutuksella on yhteinen toimintamalli") means in use; a verbless action item ("Palvelusetelijärjestelmän
käyttöönotto", "Toiminnan laajentaminen") means planned. Otherwise the sentence only mentions the practice;
in a plan document (``plan=True``) a mention is a plan.

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
_PAST_PARTICIPLES = {"past_passive", "past_active"}
_FINITE = {"indicative", "conditional", "imperative", "potential"}
_NEGATIONS = {"ei", "eivät", "en", "emme", "eikä", "ilman"}
_DECIDE = {"päättää", "sopia", "linjata"}  # "päätetty käyttää": decided, not yet done
_LATER = {"jatkossa", "tulevaisuudessa", "myöhemmin", "ensi", "tuleva", "tulevaisuus"}  # "ensi vuonna", "jatkossa"
_WINDOW = 4  # words between a negation and what it negates


def _verb(m: Morph) -> str:
    return m.verb or m.lemma


def _is_pilot(m: Morph) -> bool:
    return (m.lemma.startswith("pilot") or "kokeilu" in m.lemma or m.lemma in PILOT_LEMMAS
            or _verb(m) in PILOT_LEMMAS)


def _cue(morphs: Sequence[Morph], i: int, pilot: bool) -> Status | None:
    """The strong cue of word ``i`` (``pilot``: the sentence is about a pilot)."""
    m = morphs[i]
    lemma, verb = m.lemma, _verb(m)
    if _is_pilot(m):
        return "pilot"
    if m.word in IN_USE_WORDS or (lemma in IN_USE_NOUNS and m.case == "sisaolento"):
        return "in_use"
    if (lemma in PLAN_LEMMAS or verb in PLAN_LEMMAS or verb in _DECIDE or m.mood == "conditional"
            or m.word in _LATER or lemma in _LATER):
        return "planned"
    if verb in IMPLEMENT_VERBS:
        done = m.tense == "past_imperfective" or (m.participle in _PAST_PARTICIPLES and m.case == "nimento")
        if done:
            return "pilot" if pilot else "in_use"  # "Palvelusetelikokeilu aloitettu" started a pilot
        if m.passive and m.tense == "present_simple":
            return "planned"  # "Otetaan käyttöön", "Perustetaan": a plan's actions
    if verb in IN_USE_VERBS and ((m.mood == "indicative" and m.tense == "present_simple")
                                 or m.participle == "present_active"):
        return "planned" if i == 0 and m.passive else "in_use"
    if i == 0 and m.passive and m.mood == "indicative" and m.tense == "present_simple":
        return "planned"  # "Laajennetaan…", "Selvitetään…"
    if lemma == "tulla" and i + 1 < len(morphs) and morphs[i + 1].word.endswith(("maan", "mään")):
        return "planned"  # "tullaan ottamaan käyttöön"
    return None


def _done(morphs: Sequence[Morph]) -> Status | None:
    """A past predicate with the implementation as a noun: "valmistelu on viety toiminnan käynnistymiseen"."""
    past = any(m.tense == "past_imperfective" or (m.participle in _PAST_PARTICIPLES and m.case == "nimento")
               for m in morphs)
    acts = any(m.mood == "MINEN-infinitive" and m.lemma in IMPLEMENT_VERBS for m in morphs)
    return "in_use" if past and acts else None


def _weak(morphs: Sequence[Morph]) -> Status | None:
    finite = [i for i, m in enumerate(morphs) if _FINITE & {m.mood, *m.moods}]
    for i in finite:
        m = morphs[i]
        following = morphs[i + 1:i + 4]
        if m.lemma == "olla" and m.tense == "present_simple" and not any(w.participle or w.mood for w in following):
            return "in_use"  # a state: "Kotikuntoutuksella on yhteinen toimintamalli koko alueella"
    actions = any(m.mood == "MINEN-infinitive" or m.lemma.endswith("otto") for m in morphs)
    return "planned" if actions and not finite else None


def classify(text: str, plan: bool = False) -> Status:
    """The status one sentence gives its practice (``plan``: the sentence is from a plan document).

    >>> classify("Omaolo otettiin käyttöön vuonna 2021."), classify("Omaolo otetaan käyttöön vuonna 2023.")
    ('in_use', 'planned')
    >>> classify("Yöpartiota pilotoidaan Kokkolassa."), classify("Kotisairaala mainitaan raportissa.")
    ('pilot', 'mentioned')
    """
    morphs = analyse_text(text)
    pilot = any(_is_pilot(m) for m in morphs)
    best: Status | None = _done(morphs)
    for i in range(len(morphs)):
        status = _cue(morphs, i, pilot)
        if status is None:
            continue
        if status in ("in_use", "pilot") and any(w.word in _NEGATIONS for w in morphs[max(0, i - _WINDOW):i]):
            status = "planned"
        if best is None or ORDER[status] > ORDER[best]:
            best = status
    if best == "pilot" and any(m.lemma in PLAN_LEMMAS or _verb(m) in PLAN_LEMMAS for m in morphs):
        best = "planned"  # "pilotointi suunniteltu": the pilot itself is a plan
    found = best or _weak(morphs)
    return found or ("planned" if plan else "mentioned")


def decide(texts: Sequence[str], plans: Sequence[bool] = ()) -> tuple[Status, int]:
    """The most advanced status among ``texts`` (strongest evidence first; ``plans`` marks sentences from
    plan documents) and the index of the sentence that decided it (the first one with that status)."""
    statuses = [classify(t, plans[i] if i < len(plans) else False) for i, t in enumerate(texts)]
    if not statuses:
        return "not_found", -1
    best = max(statuses, key=lambda s: ORDER[s])
    return best, statuses.index(best)
