"""Which sentence answers the question: dense similarity to the question, topic coverage, the rank of its
passage, and a prior for the kind of answer asked (a date for "milloin / mihin mennessä", a figure for
"kuinka monta / kuinka paljon / %", an organisation for "kuka / mikä taho"). Pure functions.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from assistant.morphology import analyse
from assistant.question import Kind, Query
from assistant.sentence_index import IndexedSentence
from assistant.topic import Topic, lemma_sets

_MONTHS = (r"tammi|helmi|maalis|huhti|touko|kesä|heinä|elo|syys|loka|marras|joulu")
_DATE = re.compile(
    r"\b\d{1,2}\.\d{1,2}\.(?:\d{2}|\d{4})\b|\b\d{1,2}\s*/\s*(?:19|20)\d{2}\b|"
    rf"\b(?:{_MONTHS})\w*\s+(?:19|20)\d{{2}}|\b(?:kevä|syks|kesä|talve|alkuvuo|loppuvuo|vuodenvaihtee)\w*\s+"
    r"(?:19|20)\d{2}\b|\b(?:19|20)\d{2}\s*(?:aikana|mennessä|alussa|lopussa|lopulla|alkaen|lähtien|loppuun)\b|"
    r"\b(?:mennessä|viimeistään|alkaen|lähtien|vuodesta|vuoteen|vuonna|vuoden)\s+(?:\d{1,2}\.\d{1,2}\.)?(?:19|20)\d{2}\b|"
    r"\b(?:0?[1-9]|1[0-2])/\d{2}\s+(?:alkaen|lähtien|asti|saakka|mennessä|aikana)\b|"
    r"\b(?:january|february|march|april|may|june|july|august|september|october|november|december|"
    r"januari|februari|mars|juni|juli|augusti|oktober)\b", re.IGNORECASE)
_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")
_AMOUNT = re.compile(
    r"\d+(?:[ ,.]\d{3})*(?:[.,]\d+)?\s*(?:%|prosentti\w*|€|euro\w*|e\b|milj\w*|mrd\w*|m€|k€|htv|henkilötyö\w*)"
    r"|\b(?:puolet|kolmannes|neljännes|kaksinkertai\w*)\b", re.IGNORECASE)
# A count stands apart: not inside a date, range of years or code ("1.4.2023", "2021-2025", "PARADISE24fin");
# a range of small numbers is a count ("2-3 henkilöä"); a full stop after it ends the sentence ("vähintään 100.").
_COUNT = re.compile(r"(?<![\w./-])(?:\d{1,3}\s?[-–]\s?)?\d+(?:[ ,.]\d{3})*(?![\w/-]|[.,]\d)")
# Finnish number words ("yhdeksän eri sote-organisaatiota", "kahdessa kunnassa").
_NUMBER_WORD = re.compile(
    r"\b(?:kaksi|kahde\w*|kolme\w*|neljä\w*|viisi|viide\w*|kuusi|kuude\w*|seitsemä\w*|kahdeksa\w*|yhdeksä\w*|"
    r"kymmene\w*|\w+toista|\w+kymmentä|sata\w*|tuhat\w*|tuhanne\w*)\b", re.IGNORECASE)
# A number right after one of these labels names a goal, table or page, it counts nothing ("Teema 4").
_LABEL = re.compile(r"\b(?:teema|tavoite|kuvio|taulukko|liite|luku|kohta|vaihe|osa-alue|sivu|s\.|nro|n:o|"
                    r"hyötytavoite|prosessitavoite|tulostavoite|toimenpide|goal|table|figure|page)\s+\d+\w*",
                    re.IGNORECASE)
_LEADING_NUMBER = re.compile(r"^\s*\d{1,2}\s+(?=[A-ZÅÄÖ])")  # a goal or score number glued before a heading


_ORG = re.compile(
    r"\b[A-ZÅÄÖ]{2,}[a-zåäö]*\b|\b[A-ZÅÄÖ][a-zåäö]+[A-ZÅÄÖ]\w*|\b(?:Oy|Oyj|ry|Ky)\b|"
    r"\b\w+(?:yksikkö|keskus|yhtymä|ryhmä|tiimi|osasto|virasto|ministeriö|laitos|säätiö|"
    r"yhdistys|liitto|käräjät|yliopisto|sairaanhoitopiiri|hyvinvointialue|kaupunki|verkosto|työryhmä|johtaja|"
    r"koordinaattori|päällikkö)\w*\b|\b(?:vastaa|vastaavat|vastuu\w*|koordinoi\w*|johtaa|hallinnoi\w*)\b")


def has_date(text: str) -> bool:
    return bool(_DATE.search(text))


def has_count(text: str) -> bool:
    """A number that is not a year, date, label or code: "26 ohjaajaa", "19 kpl", "yhdeksän"."""
    text = _LEADING_NUMBER.sub(" ", _LABEL.sub(" ", _DATE.sub(" ", text)))
    return bool(_NUMBER_WORD.search(text)) or any(not _YEAR.fullmatch(m.group(0)) for m in _COUNT.finditer(text))


def has_amount(text: str) -> bool:
    return bool(_AMOUNT.search(text))


def has_organisation(text: str) -> bool:
    # The first word is capitalised anyway; an organisation must appear after it.
    rest = text.split(" ", 1)[1] if " " in text else ""
    return bool(_ORG.search(rest))


def names_a_place(text: str) -> bool:
    """A capitalised name after the first word ("Länsi-Pohjan alueella", "Kokkolassa", "Oulu")."""
    rest = text.split(" ", 1)[1] if " " in text else ""
    return bool(re.search(r"(?<![.!?]\s)\b[A-ZÅÄÖ][a-zåäö]{2,}", rest))


def enumerates(text: str) -> bool:
    """Whether ``text`` lists things: three or more items separated by commas (and "ja"), or it announces a
    list with a colon ("…teemoina olivat:")."""
    return text.rstrip().endswith(":") or text.count(",") + (" ja " in text) >= 2


def answers_kind(kind: Kind, text: str) -> bool:
    """Whether ``text`` holds the kind of fact the question asks for (always True for open questions)."""
    if kind == "when":
        return has_date(text) or bool(_YEAR.search(text))
    if kind == "how_many":
        return has_count(text) or has_amount(text)
    if kind == "how_much":
        return has_amount(text) or has_count(text)
    if kind == "who":
        return has_organisation(text)
    return True


# Words between a topic word and its count: "asiakasmäärä vähintään 100", "ohjaajia on yhteensä 26".
_COUNTED = frozenset({"henkilöä", "hlöä", "kpl", "kappaletta", "henkeä", "kertaa"})  # generic counted words
_QUANTIFIERS = frozenset({"on", "oli", "ovat", "olivat", "yhteensä", "vähintään", "enintään", "noin", "n.", "yli",
                          "alle", "lähes", "jo", "kpl", "kaikkiaan", "peräti", "=", ":", "–", "-"})


def _word_at(text: str, offset: int) -> int:
    return len(text[:offset].split())


def _noun(word: str) -> bool:
    return analyse(word.strip("()[],.;:").lower()).word_class.startswith("nimisana")


def _counts_back(words: Sequence[str], i: int, j: int) -> bool:
    """Whether the number at ``j`` counts the topic word at ``i`` before it: no other noun stands between
    them ("ohjaajia on koulutettu 26", "asiakasmäärä vähintään 100") and the number does not count a noun
    of its own ("vastuulääkärin on saanut 35 asiakasta" counts clients)."""
    between = [w.strip("()[],;") for w in words[i + 1:j]]
    if any(w and w not in _QUANTIFIERS and _noun(w) for w in between):
        return False
    after = words[j + 1].strip("()[],.;:").lower() if j + 1 < len(words) else ""
    return not after or after in _QUANTIFIERS or after in _COUNTED or not _noun(after)


def near_topic(kind: Kind, text: str, topic: Topic, window: int = 5) -> bool:
    """For "how many / how much": the count stands right before a word about the topic ("26 IPC-ohjaajaa",
    "yhdeksän eri sote-organisaatiota"), or a few words after it counting it back (see ``_counts_back``:
    "lomakkeiden (19 kpl)", "asiakasmäärä vähintään 100"); for "how much" also an amount within ``window`` words
    ("perhehoidon osuus 70 %"). A figure elsewhere in the sentence counts something else."""
    if kind not in ("how_many", "how_much") or not topic:
        return True
    text = _LEADING_NUMBER.sub(lambda m: " " * len(m.group(0)), _LABEL.sub(lambda m: " " * len(m.group(0)), text))
    words = text.split()
    about = [i for i, w in enumerate(words) if topic.coverage(*lemma_sets(w)) > 0]
    counts = [_word_at(text, m.start()) for m in (*_COUNT.finditer(text), *_NUMBER_WORD.finditer(text))
              if not _YEAR.fullmatch(m.group(0))]
    for i in about:
        for j in counts:
            if 0 < i - j <= 2 or (j > i and j - i <= 4 and _counts_back(words, i, j)):
                return True
    if kind == "how_much":
        amounts = [_word_at(text, m.start()) for m in _AMOUNT.finditer(text)]
        return any(abs(i - j) <= window for i in about for j in amounts)
    return False


def prior(kind: Kind, text: str) -> float:
    """How strongly ``text`` looks like the kind of answer asked (0..1)."""
    if kind == "when":
        return 1.0 if has_date(text) else 0.5 if _YEAR.search(text) else 0.0
    if kind == "how_many":
        return 1.0 if has_count(text) else 0.5 if has_amount(text) else 0.0
    if kind == "how_much":
        return 1.0 if has_amount(text) else 0.5 if has_count(text) else 0.0
    if kind == "who":
        return 1.0 if has_organisation(text) else 0.0
    if kind == "list":
        return 1.0 if enumerates(text) else 0.0
    if kind == "where":
        return 1.0 if names_a_place(text) else 0.0
    return 0.0


@dataclass(frozen=True)
class Weights:
    """How the signals add up; calibrated on the calibration half (README, "Measuring quality")."""

    dense: float = 4.0  # per unit of cosine above the best candidate's (cosines of e5 differ by hundredths)
    coverage: float = 1.0
    kind: float = 0.6
    rank: float = 0.35  # prior for the passage's retrieval rank: 0.35 / (1 + rank)
    fragment: float = 1.0  # penalty for a sentence too fragmentary to quote on its own
    context: float = 0.5  # a sentence right after one about the topic is about it this much
    echo: float = 0.3  # for the share of the question's words and numbers the sentence repeats
    predicate: float = 0.5  # calibrated: 0.4-0.6 a plateau; for the share of what is asked of the topic the sentence says ("pilotointi alkaa")
    second: float = 0.4  # a second sentence is quoted when it scores within this of the best


@dataclass(frozen=True)
class Echo:
    """What of the question a sentence may repeat: its lemmas and numbers, and its predicate as derivation
    stems (``Query.predicate``)."""

    lemmas: frozenset[str] = frozenset()
    numbers: Sequence[str] = ()
    predicate: Sequence[str] = ()

    @classmethod
    def of(cls, query: Query) -> Echo:
        return cls(query.lemmas, query.numbers, query.predicate)

    def said(self, s: IndexedSentence) -> float:
        """The share of the question's words and numbers ``s`` repeats."""
        asked = len(self.lemmas) + len(self.numbers)
        return (len(self.lemmas & s.tokens) + sum(n in s.text for n in self.numbers)) / asked if asked else 0.0

    def asked(self, s: IndexedSentence) -> float:
        """The share of the predicate ``s`` says: a lemma that begins with the stem ("pilotointi" for "pilotoi")."""
        if not self.predicate:
            return 0.0
        return sum(any(t.startswith(p) for t in s.tokens) for p in self.predicate) / len(self.predicate)


@dataclass(frozen=True)
class Candidate:
    """A sentence of passage number ``rank`` (0 = best) with its cosine to the question."""

    sentence: IndexedSentence
    rank: int
    dense: float = 0.0
    context: float = 0.0  # topic coverage of the sentence before it in the same passage


@dataclass(frozen=True)
class Ranked:
    candidate: Candidate
    score: float
    coverage: float
    fits: bool  # holds the kind of fact asked


def rank(kind: Kind, topic: Topic, candidates: Sequence[Candidate], weights: Weights = Weights(),
         echo: Echo = Echo()) -> list[Ranked]:
    """Candidates best first; fragments too short to quote come last unless nothing else carries the topic."""
    best_dense = max((c.dense for c in candidates), default=0.0)
    out = []
    for c in candidates:
        s = c.sentence
        coverage = max(topic.coverage(s.full, s.tokens, s.sequence), weights.context * c.context) if topic else 0.0
        fit = prior(kind, s.text)
        score = (weights.dense * (c.dense - best_dense) + weights.coverage * coverage + weights.kind * fit
                 + weights.echo * echo.said(s) + weights.predicate * echo.asked(s)
                 + weights.rank / (1 + c.rank) - (0.0 if s.quotable else weights.fragment))
        out.append(Ranked(c, score, coverage, answers_kind(kind, s.text)))
    return sorted(out, key=lambda r: (-r.score, r.candidate.rank, r.candidate.sentence.id))
