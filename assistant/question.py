"""Question understanding: one step from the words typed (and the conversation so far) to a frozen ``Query``
that retrieval, relevance and the composers share, so that none of them re-derives it.

The *topic* is what the question is about: its content lemmas without frame words (status and filler
words such as "käytössä", "suunnitteilla", "alueilla", "in use", "används", see ``cues``) and without
region names. English and Swedish questions reach the Finnish documents through the glossary bridge
(computed once here) plus the words the corpus itself uses ("Omaolo", "116117").
"""

from __future__ import annotations

import re
from collections.abc import Container, Sequence
from dataclasses import dataclass, field
from typing import Literal

from assistant.followup import resolve
from assistant.foreign_terms import translated_words
from assistant.glossary import bridge
from assistant.language import Language, detect_language
from assistant.lexicon import Translation
from assistant.records import Turn
from assistant.regions import REGIONS, mentioned_regions, strip_regions
from assistant.terms import Term, topic_terms

__all__ = ["KNOWN_REGIONS", "Kind", "Query", "Term", "is_comparative", "question_kind", "understand"]

Kind = Literal["when", "how_many", "how_much", "who", "where", "why", "list", "yes_no", "open"]
KNOWN_REGIONS = frozenset(r.name for r in REGIONS)


@dataclass(frozen=True)
class Query:
    """A question as understood. ``resolved`` merges an elliptical follow-up with the previous question;
    ``regions`` are the named regions the index has, ``missing`` the named ones it lacks; ``topic`` the
    content terms (Finnish lemmas; for English/Swedish the bridged ones), ``frame`` the frame words seen."""

    text: str
    resolved: str
    language: Language
    regions: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()
    comparative: bool = False
    kind: Kind = "open"
    topic: tuple[Term, ...] = ()
    either: tuple[tuple[int, ...], ...] = ()  # "A tai B": indexes of topic terms on each side
    frame: tuple[str, ...] = ()
    numbers: tuple[str, ...] = ()
    lemmas: frozenset[str] = frozenset()  # every content lemma of the question, frame words included
    predicate: tuple[str, ...] = ()  # what is asked of the topic, as derivation stems ("pilotoi", "vähintään")
    bridged: str = ""
    history: tuple[Turn, ...] = field(default=(), repr=False)

    @property
    def lexical_text(self) -> str:
        """What BM25 reads: the question without region names (a region is a filter, not a word to match),
        plus the bridged Finnish terms for English and Swedish questions."""
        text = strip_regions(self.resolved) if self.regions else self.resolved
        return f"{text} {self.bridged}".strip()

    @property
    def dense_text(self) -> str:
        """What the dense leg embeds: the question, without region names when one narrows the search."""
        return strip_regions(self.resolved) if self.regions else self.resolved

    @property
    def topic_text(self) -> str:
        """The topic as words, for a dense match that the question's wording cannot sway."""
        return " ".join(t.lemma for t in self.topic)

    @property
    def asks_figure(self) -> bool:
        return self.kind in ("when", "how_many", "how_much", "who")


# Comparative: several regions asked about at once ("Missä alueilla…", "Which regions…", "Var…").
_COMPARATIVE = re.compile(
    r"\b(mitkä alueet|missä alueilla|millä alueilla|millä hyvinvointialueilla|eri alueet|eri alueilla|"
    r"alueet|alueiden välillä|kaikki alueet|kaikilla alueilla|alueittain|hyvinvointialueet|hyvinvointialueilla|"
    r"hyvinvointialueiden|vertaa|vertailu|"
    r"which regions|what regions|the regions|regions|which areas|which counties|wellbeing services counties|"
    r"compare|comparison|across regions|region by region|"
    r"vilka välfärdsområden|välfärdsområdena|vilka områden|områdena|vilka regioner|regionerna|jämför)\b",
    re.IGNORECASE,
)
# "Missä X on käytössä?", "Where is X used?", "Var används X?" ask for places too, unless a region is
# named ("Missä Soite kehittää…") or "missä" means a stage or extent ("missä vaiheessa", "missä määrin").
_WHERE = re.compile(
    r"^\s*(missä|missäpäin|where|var)\b(?!\s+(vaiheessa|määrin|muodossa|yhteydessä|tilanteessa|roolissa|"
    r"asiakirjassa|dokumentissa|suunnitelmassa|ajassa|stage|extent|way|form|phase|utsträckning|skede|form))",
    re.IGNORECASE,
)
_KINDS: tuple[tuple[Kind, re.Pattern[str]], ...] = (
    ("when", re.compile(
        r"\b(milloin|mihin mennessä|minä vuonna|mistä lähtien|mistä alkaen|mihin asti|aikataulu\w*|"
        r"when|by when|what year|which year|by what date|deadline|how soon|"
        r"när|vilket år|senast|fram till när|från och med när)\b", re.IGNORECASE)),
    ("how_many", re.compile(
        r"\b(kuinka mon\w+|(mont|mon[ei]\w{0,4})(ako|ko)|lukumäärä\w*|määrä(ä|n|t|ssä|stä)?|"
        r"kuinka kauan|missä ajassa|kuinka nopeasti|"
        r"how many|number of|how often|how long|how quickly|within what time|"
        r"hur många|antal\w*|hur ofta|hur länge|hur snabbt|inom vilken tid)\b", re.IGNORECASE)),
    ("how_much", re.compile(
        r"(\b(kuinka paljon|paljonko|kuinka suur\w*|mikä on .*(osuus|prosentti|summa|hinta|budjetti|kustannu\w*)|"
        r"osuu\w*|prosent\w*|kustannu\w*|budjet\w*|talousarvi\w*|hinta|hinnan|asiakasmaksu\w*|euro\w*|"
        r"how much|what share|what proportion|what percentage|percent\w*|cost\w*|budget\w*|fees?|price\w*|"
        r"hur mycket|hur stor|andel\w*|procent\w*|kostnad\w*|budget\w*|avgift\w*)\b|%)", re.IGNORECASE)),
    ("who", re.compile(
        r"\b(kuka|ketkä|keitä|kenen|kenelle|keneltä|kenet|mikä taho|mitkä tahot|mikä organisaatio|mikä yksikkö|"
        r"who|whom|whose|which organisation|which organization|which body|which unit|"
        r"vem|vilka aktörer|vilken organisation|vilken enhet)\b", re.IGNORECASE)),
    ("why", re.compile(r"\b(miksi|mistä syystä|minkä vuoksi|mikä syy\w*|why|for what reason|varför|av vilken anledning)\b",
                       re.IGNORECASE)),
    ("yes_no", re.compile(
        r"^\s*(onko|ovatko|oliko|olivatko|\w+(ko|kö)\b|is|are|was|were|does|do|did|has|have|can|"
        r"finns det|har|är|används|kan)\b", re.IGNORECASE)),
    # A list asks for several things: "Mitkä…", "Mitä menetelmiä…" (a plural partitive), "Which methods…".
    ("list", re.compile(
        r"^\s*((mitkä|millaisia|minkälaisia|listaa|luettele|list|name the|vilka|vad för)\b|"
        r"(mitä|what|which)\s+(?!is\b|are\b|does\b|do\b|did\b|was\b|were\b|has\b|have\b)"
        r"[\w-]+(ja|jä|ita|itä|ia|iä|ta|tä|s)\b)", re.IGNORECASE)),
)
# A question of manner ("Miten…", "Millä tavoin…", "How do…", "Hur…") describes a way of doing, not a figure.
_MANNER = re.compile(r"^\s*(miten|millä tavo\w*|millä keinoin|kuinka(?!\s+(paljon|mon\w+|suur\w*|usein|kauan|nopeasti))|"
                     r"how(?!\s+(many|much|often|soon|large|big|long|quickly))|in what way|"
                     r"hur(?!\s+(många|mycket|stor\w*|ofta|länge|snabbt))|på vilket sätt)\b", re.IGNORECASE)
_FIGURE_ASKED = re.compile(r"\b(kuinka (paljon|mon\w+|suur\w*|usein|kauan|nopeasti)|paljonko|(mont|mon[ei]\w{0,4})(ako|ko)|"
                           r"missä ajassa|how (many|much|often|large|big|long|quickly)|"
                           r"hur (många|mycket|stor\w*|ofta|länge|snabbt))\b", re.IGNORECASE)
_NUMBER = re.compile(r"\b\d+(?:[.,]\d+)*\b")


def question_kind(text: str) -> Kind:
    """What sort of answer the question wants.

    >>> question_kind("Mihin mennessä RAI otetaan käyttöön?"), question_kind("Kuinka suuri osa käynneistä?")
    ('when', 'how_much')
    """
    manner = _MANNER.search(text)
    for kind, pattern in _KINDS:
        found = pattern.search(text)
        # "Miten kustannuksia hillitään?" asks how, not how much: under a manner question only the
        # interrogative itself ("kuinka paljon", "how many") asks for a figure, never a noun such as "kustannus".
        if found and not (manner and kind in ("how_many", "how_much") and not _FIGURE_ASKED.search(text)):
            return kind
    return "open"


def is_comparative(question: str, names_a_region: bool = False) -> bool:
    """Whether the question asks about several regions ("Missä alueilla…", "Which regions…", "Var…")."""
    return bool(_COMPARATIVE.search(question)) or (not names_a_region and bool(_WHERE.search(question)))


def understand(question: str, history: Sequence[Turn] = (), *, index_regions: Container[str] = (),
               vocabulary: Container[str] = (), name: bool = False) -> Query:
    """The ``Query`` for ``question`` asked after ``history``; ``index_regions`` are the regions the
    index has, ``vocabulary`` its lemmas (to keep the English/Swedish words the corpus knows); ``name``: the
    text is a topic, not a question (a capitalised phrase of a few words is then one name)."""
    resolved = resolve(question, history)
    language = detect_language(question)
    named = mentioned_regions(resolved)
    present = tuple(r for r in named if r in index_regions)
    missing = tuple(r for r in named if r in KNOWN_REGIONS and r not in index_regions)
    # Naming two or more regions asks for a comparison between them; naming one narrows to it.
    comparative = (is_comparative(resolved, bool(named)) and len(present) != 1) or len(present) >= 2
    without_regions = strip_regions(resolved) if named else resolved
    # "Missä Lapissa…" asks for a place inside the region named; without a region "missä" asks which regions.
    kind: Kind = "where" if named and not comparative and _WHERE.search(resolved) else question_kind(resolved)
    translated = translated_words(without_regions, vocabulary) if language == "en" else []
    topic = topic_terms(without_regions, language, vocabulary, whole=name, translated=translated)
    return Query(
        text=question, resolved=resolved, language=language, regions=present, missing=missing,
        comparative=comparative, kind=kind, topic=topic.terms, either=topic.either,
        frame=topic.frame,
        numbers=tuple(_NUMBER.findall(without_regions)),
        lemmas=topic.lemmas, predicate=topic.predicate,
        bridged=_bridged(without_regions, language, translated), history=tuple(history),
    )


def _bridged(text: str, language: Language, translated: Sequence[Translation]) -> str:
    """Finnish words for an English or Swedish question: the glossary's terms, then for English the
    general dictionary's translations of the words the glossary and the corpus do not cover."""
    if language == "fi":
        return ""
    extra = [t for found in translated for t in found.finnish]
    return " ".join([bridge(text), *extra]).strip()
