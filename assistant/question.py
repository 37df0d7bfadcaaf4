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
from dataclasses import dataclass, field, replace
from typing import Literal

from assistant.cues import is_frame
from assistant.followup import resolve
from assistant.glossary import bridge, bridge_hits
from assistant.language import Language, detect_language
from assistant.lexical import STOPWORDS, tokenize, words
from assistant.morphology import MAX_WORDS_ANALYSED, Morph, analyse
from assistant.records import Turn
from assistant.regions import REGIONS, mentioned_regions, strip_regions

Kind = Literal["when", "how_many", "how_much", "who", "list", "yes_no", "open"]
KNOWN_REGIONS = frozenset(r.name for r in REGIONS)
_FUNCTION_CLASSES = {"asemosana", "sidesana", "suhdesana", "kieltosana", "huudahdussana", "lukusana"}


@dataclass(frozen=True)
class Term:
    """A topic term: a lemma (as the index spells it) and its compound parts ("lastensuojelu" -> lapsi,
    suojelu), so that "lasten suojelu" can meet "lastensuojelu"; ``alternatives`` are other terms for the
    same thing (the glossary's "terveyskeskus|terveysasema"). A phrase is a term whose parts are its words."""

    lemma: str
    parts: tuple[str, ...] = ()
    alternatives: tuple[Term, ...] = ()
    word: str = ""  # as the question spells it
    verb: bool = False  # a verb or participle (a paraphrase the corpus may not use)


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
    r"asiakirjassa|dokumentissa|suunnitelmassa|stage|extent|way|form|phase|utsträckning|skede|form))",
    re.IGNORECASE,
)
_KINDS: tuple[tuple[Kind, re.Pattern[str]], ...] = (
    ("when", re.compile(
        r"\b(milloin|mihin mennessä|minä vuonna|mistä lähtien|mistä alkaen|mihin asti|aikataulu\w*|"
        r"when|by when|what year|which year|by what date|deadline|how soon|"
        r"när|vilket år|senast|fram till när|från och med när)\b", re.IGNORECASE)),
    ("how_many", re.compile(
        r"\b(montako|kuinka monta|kuinka moni\w*|moniko|lukumäärä\w*|määrä(ä|n|t|ssä|stä)?|"
        r"how many|number of|how often|hur många|antal\w*|hur ofta)\b", re.IGNORECASE)),
    ("how_much", re.compile(
        r"(\b(kuinka paljon|paljonko|kuinka suur\w*|mikä on .*(osuus|prosentti|summa|hinta|budjetti|kustannu\w*)|"
        r"osuu\w*|prosent\w*|kustannu\w*|budjet\w*|talousarvi\w*|hinta|hinnan|asiakasmaksu\w*|euro\w*|"
        r"how much|what share|what proportion|what percentage|percent\w*|cost\w*|budget\w*|fee\w*|price\w*|"
        r"hur mycket|hur stor|andel\w*|procent\w*|kostnad\w*|budget\w*|avgift\w*)\b|%)", re.IGNORECASE)),
    ("who", re.compile(
        r"\b(kuka|ketkä|keitä|kenen|kenelle|keneltä|kenet|mikä taho|mitkä tahot|mikä organisaatio|mikä yksikkö|"
        r"who|whom|whose|which organisation|which organization|which body|which unit|"
        r"vem|vilka aktörer|vilken organisation|vilken enhet)\b", re.IGNORECASE)),
    ("yes_no", re.compile(
        r"^\s*(onko|ovatko|oliko|olivatko|\w+(ko|kö)\b|is|are|was|were|does|do|did|has|have|can|"
        r"finns det|har|är|används|kan)\b", re.IGNORECASE)),
    # A list asks for several things: "Mitkä…", "Mitä menetelmiä…" (a plural partitive), "Which methods…".
    ("list", re.compile(
        r"^\s*((mitkä|millaisia|minkälaisia|listaa|luettele|list|name the|vilka|vad för)\b|"
        r"(mitä|what|which)\s+(?!is\b|are\b|does\b|do\b|did\b|was\b|were\b|has\b|have\b)"
        r"[\w-]+(ja|jä|ita|itä|ia|iä|ta|tä|s)\b)", re.IGNORECASE)),
)
_NUMBER = re.compile(r"\b\d+(?:[.,]\d+)*\b")
_YEAR_OR_COUNT = re.compile(r"\d{1,4}(?:[.,]\d+)*")  # years and counts constrain; longer codes (116117) name


def question_kind(text: str) -> Kind:
    """What sort of answer the question wants.

    >>> question_kind("Mihin mennessä RAI otetaan käyttöön?"), question_kind("Kuinka suuri osa käynneistä?")
    ('when', 'how_much')
    """
    for kind, pattern in _KINDS:
        if pattern.search(text):
            return kind
    return "open"


def is_comparative(question: str, names_a_region: bool = False) -> bool:
    """Whether the question asks about several regions ("Missä alueilla…", "Which regions…", "Var…")."""
    return bool(_COMPARATIVE.search(question)) or (not names_a_region and bool(_WHERE.search(question)))


_OR = re.compile(r"\s(?:tai|ja/tai|or|and/or|eller|och/eller)\s", re.IGNORECASE)
_WORD = re.compile(r"[\w][\w.:-]*[\w]|\w")


@dataclass(frozen=True)
class Topic:
    """What ``topic_terms`` finds: terms in question order, where an "or" splits them, and frame words."""

    terms: tuple[Term, ...]
    either: tuple[tuple[int, ...], ...]
    frame: tuple[str, ...]


def _function_word(morph: Morph) -> bool:
    """Pronouns, conjunctions, adpositions and number words ("kaksi"); a code in digits ("116117") names."""
    return morph.word_class in _FUNCTION_CLASSES and not morph.word[:1].isdigit()


def _either(positions: Sequence[int], split: int | None) -> tuple[tuple[int, ...], ...]:
    """Term indexes before and after the first "or" (when there are terms on both sides)."""
    if split is None:
        return ()
    before = tuple(i for i, p in enumerate(positions) if p < split)
    after = tuple(i for i, p in enumerate(positions) if p > split)
    return (before, after) if before and after else ()


def topic_terms(text: str, language: Language, vocabulary: Container[str] = ()) -> Topic:
    """The topic of ``text`` (region names already removed).

    Finnish: each word's lemma unless it is a frame word, a function word (pronoun, conjunction,
    adposition, numeral) or a stop word; an ambiguous form keeps its other readings as alternatives.
    English/Swedish: the corpus's own words in the question (names and codes such as "Omaolo", "116117",
    "AVAIN-mätaren", or Finnish words), the glossary's Finnish terms for the rest; when neither finds
    anything, the question's own content words (which the corpus lacks, so the topic is absent).
    """
    split = _OR.search(text)
    at = split.start() if split else None
    terms: dict[str, tuple[int, Term]] = {}
    frame: list[str] = []
    if language == "fi":
        analysed: dict[str, Morph] = {}
        for match in re.finditer(r"\S+", text):
            for word in words(match.group(0)):
                if word not in analysed:  # a bounded number of distinct words per question
                    analysed[word] = analyse(word) if len(analysed) < MAX_WORDS_ANALYSED else Morph(word, word)
                morph = analysed[word]
                tokens = tokenize(morph.word)
                if not tokens or morph.word in STOPWORDS or _YEAR_OR_COUNT.fullmatch(morph.word):
                    continue
                lemma = tokens[0]
                if is_frame(lemma) or is_frame(morph.lemma) or _function_word(morph) or (morph.is_verb and is_frame(morph.verb)):
                    frame.append(lemma)
                    continue
                readings = tuple(Term(r) for r in morph.readings if r != lemma and not is_frame(r))
                term = Term(lemma, word_parts(morph.word), readings, match.group(0).strip(".,:;?!()"), morph.is_verb)
                terms.setdefault(lemma, (match.start(), term))
    else:
        for match in _WORD.finditer(text):
            found = _corpus_word(match.group(0), match.start() == 0, vocabulary)
            if found:
                terms.setdefault(found.lemma, (match.start(), found))
        for start, _, group in bridge_hits(text):
            alternatives = [t for t in (phrase_term(alt) for alt in group) if t and not is_frame(t.lemma)]
            if alternatives:
                term = replace(alternatives[0], alternatives=tuple(alternatives[1:]), word=group[0])
                terms.setdefault(term.lemma, (start, term))
        if not terms:
            for match in _WORD.finditer(text):
                word = match.group(0).lower()
                if len(word) > 2 and word.isalpha() and not is_frame(word) and word not in STOPWORDS:
                    terms.setdefault(word, (match.start(), Term(word, word=match.group(0))))
        frame = [w.lower() for w in re.findall(r"[\wåäö]+", text) if is_frame(w.lower())]
    ordered = sorted(terms.values(), key=lambda pt: pt[0])
    return Topic(tuple(t for _, t in ordered), _either([p for p, _ in ordered], at), tuple(frame))


def _corpus_word(word: str, first: bool, vocabulary: Container[str]) -> Term | None:
    """A word of an English/Swedish question that the corpus itself uses: a name or code (capitalised,
    with digits, dots or hyphens) or a Finnish word Voikko knows; a hyphenated name by its first piece."""
    clean = word.strip(".,:;?!()")
    if is_frame(clean.lower()) or _YEAR_OR_COUNT.fullmatch(clean):
        return None
    name = any(ch.isdigit() or ch in ".-" for ch in clean) or (not first and clean[:1].isupper())
    tokens = tokenize(clean)
    if tokens and tokens[0] in vocabulary and (name or analyse(clean).known):
        return Term(tokens[0], word_parts(clean), word=clean)
    if "-" in clean and clean[:1].isupper():
        head = tokenize(clean.split("-")[0])
        if head and head[0] in vocabulary:
            return Term(head[0], word=clean)
    return None


def phrase_term(phrase: str) -> Term | None:
    """The term for a Finnish word or phrase from the glossary ("suun terveydenhuolto" needs both words)."""
    lemmas = [t[0] for t in (tokenize(w) for w in phrase.split()) if t]
    if not lemmas:
        return None
    if len(lemmas) == 1:
        return Term(lemmas[0], word_parts(phrase))
    return Term(" ".join(lemmas), tuple(lemmas))


def word_parts(word: str) -> tuple[str, ...]:
    """The parts a compound word is made of: its hyphenated pieces ("rai-arviointivälineistö" -> rai,
    arviointivälineistö), else Voikko's compound parts ("lastensuojelu" -> lapsi, suojelu).

    >>> word_parts("RAI-arviointivälineistö"), word_parts("etäkuntoutus"), word_parts("kunta")
    (('rai', 'arviointivälineistö'), ('etä', 'kuntoutus'), ())
    """
    if "-" in word.strip("-"):
        pieces = [tokenize(piece) for piece in word.split("-")]
        return tuple(dict.fromkeys(p[0] for p in pieces if p))
    tokens = tokenize(word)
    return tuple(dict.fromkeys(t for t in tokens[1:] if t != tokens[0]))


def understand(question: str, history: Sequence[Turn] = (), *, index_regions: Container[str] = (),
               vocabulary: Container[str] = ()) -> Query:
    """The ``Query`` for ``question`` asked after ``history``; ``index_regions`` are the regions the
    index has, ``vocabulary`` its lemmas (to keep the English/Swedish words the corpus knows)."""
    resolved = resolve(question, history)
    language = detect_language(question)
    named = mentioned_regions(resolved)
    present = tuple(r for r in named if r in index_regions)
    missing = tuple(r for r in named if r in KNOWN_REGIONS and r not in index_regions)
    # Naming two or more regions asks for a comparison between them; naming one narrows to it.
    comparative = (is_comparative(resolved, bool(named)) and len(present) != 1) or len(present) >= 2
    without_regions = strip_regions(resolved) if named else resolved
    topic = topic_terms(without_regions, language, vocabulary)
    return Query(
        text=question, resolved=resolved, language=language, regions=present, missing=missing,
        comparative=comparative, kind=question_kind(resolved), topic=topic.terms, either=topic.either,
        frame=topic.frame,
        numbers=tuple(_NUMBER.findall(without_regions)),
        bridged=bridge(resolved) if language != "fi" else "", history=tuple(history),
    )
