"""Compose answers from retrieved passages: the extractive composer (default, no LLM) and citations.

Pure logic: takes passages, returns an ``Answer``. Every claim is a sentence quoted from a passage,
followed by the number of the citation that points at that passage.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from assistant.glossary import bridge
from assistant.records import Answer, Citation, Passage
from assistant.sentences import Sentence, idf_table, overlap_score, split_sentences, stems

FRAMES = {
    "fi": {
        "regions": "Aineistosta löytyi tietoa {n} alueelta:",
        "not_found": "Aineistosta ei löytynyt vastausta kysymykseen.",
        "closest": "Lähimmät, mahdollisesti aiheeseen liittyvät kohdat on listattu lähteinä alla.",
        "no_region": "Aineistossa ei ole asiakirjoja alueelta: {regions}.",
        "quotes": "",
    },
    "sv": {
        "regions": "Materialet innehåller uppgifter från {n} välfärdsområden:",
        "not_found": "Materialet innehåller inget svar på frågan.",
        "closest": "De närmaste, möjligen relaterade avsnitten listas nedan.",
        "no_region": "Materialet innehåller inga dokument från: {regions}.",
        "quotes": "(Citaten är ur de finskspråkiga dokumenten.)",
    },
    "en": {
        "regions": "The documents have evidence from {n} regions:",
        "not_found": "The documents do not answer this question.",
        "closest": "The closest, possibly related passages are listed below.",
        "no_region": "The documents include nothing from: {regions}.",
        "quotes": "(Quotes are from the Finnish source documents.)",
    },
}


@dataclass(frozen=True)
class Pick:
    """A sentence chosen for the answer, from ``passage``."""

    passage: Passage
    sentence: Sentence
    score: float
    overlap: float = 0.0


class Citations:
    """Numbers passages in order of first citation: the first cited passage is [1]."""

    def __init__(self) -> None:
        self._numbers: dict[int, int] = {}
        self._passages: list[Passage] = []

    def number(self, passage: Passage) -> int:
        key = passage.chunk.chunk_id
        if key not in self._numbers:
            self._passages.append(passage)
            self._numbers[key] = len(self._passages)
        return self._numbers[key]

    def all(self) -> tuple[Citation, ...]:
        return tuple(Citation(i + 1, p) for i, p in enumerate(self._passages))


def query_stems(question: str, language: str) -> set[str]:
    text = question if language == "fi" else f"{question} {bridge(question)}"
    return stems(text)


def pick_sentences(question: str, language: str, passages: Sequence[Passage], limit: int,
                   per_passage: int = 2, idf: Mapping[str, float] | None = None) -> list[Pick]:
    """The ``limit`` sentences of ``passages`` that best answer ``question``, in reading order.

    A sentence's score is its IDF-weighted overlap with the question plus a prior for its passage's rank,
    so the best passage always contributes and numbers and names stay intact (sentences are quoted whole).
    """
    q = query_stems(question, language)
    # Corpus-wide IDF when given: a generic word ("käyttöön") must not outweigh the topic ("Omaolo").
    idf = idf if idf is not None else idf_table(p.chunk.text for p in passages)
    candidates: list[Pick] = []
    for rank, passage in enumerate(passages):
        prior = 0.35 / (1 + rank)
        for sentence in split_sentences(passage.chunk.text):
            overlap = overlap_score(q, stems(sentence.text), idf)
            candidates.append(Pick(passage, sentence, overlap + prior, overlap))
    candidates.sort(key=lambda p: -p.score)
    best_overlap = max((c.overlap for c in candidates), default=0.0)
    chosen: list[Pick] = []
    used: dict[int, int] = {}
    seen: set[str] = set()
    for pick in candidates:
        cid = pick.passage.chunk.chunk_id
        key = pick.sentence.text.lower()
        if used.get(cid, 0) >= per_passage or key in seen:
            continue
        if chosen and (pick.score < 0.5 * chosen[0].score or pick.overlap < 0.5 * best_overlap):
            continue
        chosen.append(pick)
        used[cid] = used.get(cid, 0) + 1
        seen.add(key)
        if len(chosen) >= limit:
            break
    order = {p.chunk.chunk_id: i for i, p in enumerate(passages)}
    return sorted(chosen, key=lambda p: (order[p.passage.chunk.chunk_id], p.sentence.start))


def compose_single(question: str, language: str, passages: Sequence[Passage], limit: int = 3,
                   idf: Mapping[str, float] | None = None) -> Answer:
    """A short answer of the best sentences, each followed by its citation [n]."""
    cites = Citations()
    picks = pick_sentences(question, language, passages[:4], limit, idf=idf)
    parts = [f"{p.sentence.text} [{cites.number(p.passage)}]" for p in picks]
    text = " ".join(parts)
    if language != "fi" and FRAMES[language]["quotes"]:
        text = f"{text}\n\n{FRAMES[language]['quotes']}"
    return Answer(text, False, language, cites.all(), tuple(passages))


def compose_by_region(question: str, language: str, groups: dict[str, list[Passage]],
                      passages: Sequence[Passage], idf: Mapping[str, float] | None = None) -> Answer:
    """One line per region that has evidence: "**Region** — sentence [n]", regions in given order."""
    cites = Citations()
    lines = [FRAMES[language]["regions"].format(n=len(groups))]
    for region, found in groups.items():
        picks = pick_sentences(question, language, found[:3], limit=2, per_passage=1, idf=idf)
        body = " ".join(f"{p.sentence.text} [{cites.number(p.passage)}]" for p in picks)
        lines.append(f"**{region}** — {body}")
    if language != "fi" and FRAMES[language]["quotes"]:
        lines.append(FRAMES[language]["quotes"])
    return Answer("\n".join(lines), False, language, cites.all(), tuple(passages))


def compose_not_found(language: str, passages: Sequence[Passage], missing_regions: Sequence[str] = ()) -> Answer:
    """An honest "not found", naming regions absent from the index, with the closest passages."""
    frame = FRAMES[language]
    lines = [frame["not_found"]]
    if missing_regions:
        lines.append(frame["no_region"].format(regions=", ".join(missing_regions)))
    if passages:
        lines.append(frame["closest"])
    return Answer(" ".join(lines), True, language, (), tuple(passages))
