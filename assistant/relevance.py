"""Corpus statistics for relevance: which corpus lemmas carry a topic term, how much each term weighs,
and whether a passage is relevant enough to answer from.

A term is carried by its lemma, by a compound that contains it at a compound boundary ("kotisairaala" in
"kotisairaalatoiminta", "sairaala" in "kotisairaala"), by the specific part of a compound whose other part
is generic ("yöpartio" for "yöpartiotoiminta", "omaolo" for "omaolo-palvelu"), by its compound parts side
by side ("lasten suojelu" for "lastensuojelu"), and by its glossary synonyms. Terms weigh their IDF over
chunks (Voikko lemmas, as in the BM25 index), so that a rare name outweighs a common word. Thresholds are
calibrated on the calibration halves of tests/data (NOTES-README.md, "Measured").
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Iterable, Sequence, Set
from dataclasses import dataclass

from assistant.glossary import synonyms
from assistant.lexical import tokenize
from assistant.question import Term


@dataclass(frozen=True)
class Thresholds:
    # Minimum relevance of the best passage to answer at all. Cross-lingual cosines run lower, so English
    # and Swedish questions get their own floor.
    answer: float = 0.85
    answer_other: float = 0.785
    coverage: float = 0.6  # share of a topic's weight a sentence must carry to be evidence of it
    about: float = 0.4  # share a sentence must touch for its date or figure to answer about the topic
    dense_sentence: float = 1.01  # cosine of topic and sentence that counts as evidence (above 1: off)
    coverage_weight: float = 0.05  # how much topic coverage adds to a passage's cosine
    region_depth: int = 10  # passages per region the retriever returns for comparative questions
    generic_share: float = 0.05  # a lemma in at least this share of chunks is generic ("toiminta", "palvelu")
    min_weight: float = 0.25  # the weight of a generic term (so a topic of generic words still has one)


@dataclass(frozen=True)
class Topic:
    """Topic terms with, for each, the corpus lemmas that carry it, the sets of parts that carry it when
    all appear as words, and its weight; ``either`` lists alternative groups of term indexes ("A tai B":
    a text about A or about B is about the topic), by default one group of all terms."""

    terms: tuple[Term, ...] = ()
    carriers: tuple[frozenset[str], ...] = ()
    part_sets: tuple[tuple[tuple[str, ...], ...], ...] = ()
    weights: tuple[float, ...] = ()
    either: tuple[tuple[int, ...], ...] = ()

    def __bool__(self) -> bool:
        return bool(self.terms)

    def _groups(self) -> tuple[tuple[int, ...], ...]:
        return self.either or (tuple(range(len(self.terms))),)

    def only(self, i: int) -> Topic:
        """The topic of term ``i`` alone."""
        return Topic(self.terms[i:i + 1], self.carriers[i:i + 1], self.part_sets[i:i + 1], self.weights[i:i + 1])

    def _carried(self, i: int, full: Set[str], tokens: Set[str]) -> float:
        if not tokens.isdisjoint(self.carriers[i]) or any(all(p in full for p in ps) for ps in self.part_sets[i]):
            return 1.0
        return 0.0

    def _touched(self, i: int, full: Set[str], tokens: Set[str]) -> float:
        if self._carried(i, full, tokens):
            return 1.0
        return max((sum(p in full for p in ps) / len(ps) for ps in self.part_sets[i]), default=0.0)

    def _share(self, credit: object, full: Set[str], tokens: Set[str]) -> float:
        best = 0.0
        for group in self._groups():
            total = sum(self.weights[i] for i in group)
            if total:
                got = sum(self.weights[i] * credit(i, full, tokens) for i in group)  # type: ignore[operator]
                best = max(best, got / total)
        return best

    def coverage(self, full: Set[str], tokens: Set[str]) -> float:
        """Share of the topic's weight carried by a text whose word lemmas are ``full`` and whose lemmas
        with compound parts are ``tokens`` (the best of the alternative groups).

        >>> t = Topic((Term("yöpartio"),), (frozenset({"yöpartio"}),), ((),), (3.0,))
        >>> t.coverage({"yöpartio"}, {"yöpartio"}), t.coverage({"kotihoito"}, {"kotihoito"})
        (1.0, 0.0)
        """
        return self._share(self._carried, full, tokens)

    def touches(self, full: Set[str], tokens: Set[str]) -> float:
        """Like ``coverage``, but a term also counts in part when some of its parts appear as words
        ("RAI-välineistö" touches "RAI-arviointivälineistö")."""
        return self._share(self._touched, full, tokens)


class Relevance:
    """Lemma statistics of one loaded index; built once per generation."""

    def __init__(self, token_lists: Sequence[Iterable[str]], thresholds: Thresholds,
                 chunk_ids: Sequence[int] = ()) -> None:
        """``token_lists``: each chunk's BM25 tokens (Voikko lemmas with compound parts), in chunk order;
        ``chunk_ids`` the chunks' ids in the same order."""
        self.t = thresholds
        self._postings: dict[str, list[int]] = {}
        self._sets = [frozenset(t) for t in token_lists]
        self._row = {cid: i for i, cid in enumerate(chunk_ids)}
        for row, tokens in enumerate(self._sets):
            for term in tokens:
                self._postings.setdefault(term, []).append(row)
        self.size = max(len(token_lists), 1)
        self._vocab = sorted(self._postings)
        self._reversed = sorted(v[::-1] for v in self._postings)
        self._generic = max(2, int(self.size * thresholds.generic_share))
        self._generic_idf = math.log(1 + 1 / thresholds.generic_share)
        self._carriers: dict[str, frozenset[str]] = {}
        # A word the corpus never uses is the rarest of all: its absence must weigh the most.
        self.unknown = math.log(1 + 2 * self.size)

    def __contains__(self, lemma: object) -> bool:
        return lemma in self._postings

    def df(self, lemma: str) -> int:
        return len(self._postings.get(lemma, ()))

    def idf(self, lemma: str) -> float:
        df = self.df(lemma)
        return math.log(1 + self.size / df) if df else self.unknown

    def generic(self, lemma: str) -> bool:
        return self.df(lemma) >= self._generic

    def carriers(self, lemma: str) -> frozenset[str]:
        """Corpus lemmas that carry ``lemma`` (see the module docstring); cached per lemma."""
        found = self._carriers.get(lemma)
        if found is None:
            found = frozenset(self._containing(lemma) | self._specific_part(lemma))
            if len(self._carriers) < 50_000:
                self._carriers[lemma] = found
        return found

    def _containing(self, lemma: str) -> set[str]:
        out = {lemma} if lemma in self._postings else set()
        i = bisect.bisect_left(self._vocab, lemma)
        while i < len(self._vocab) and self._vocab[i].startswith(lemma):
            word = self._vocab[i]
            rest = word[len(lemma):]
            # A compound starting with the lemma at a boundary: a hyphen, or the rest is a word itself.
            if rest.startswith("-") or (len(lemma) >= 4 and len(rest) >= 3 and rest in self._postings):
                out.add(word)
            i += 1
        if len(lemma) >= 4:
            backwards = lemma[::-1]
            i = bisect.bisect_left(self._reversed, backwards)
            while i < len(self._reversed) and self._reversed[i].startswith(backwards):
                word = self._reversed[i][::-1]
                if len(word) - len(lemma) >= 3:  # ends with the lemma: a kind of it ("kotisairaala")
                    out.add(word)
                i += 1
        return out

    def _specific_part(self, lemma: str) -> set[str]:
        """"yöpartio" for "yöpartiotoiminta": the compound minus a generic last part."""
        out = set()
        for cut in range(3, len(lemma) - 2):
            head, rest = lemma[:cut].rstrip("-"), lemma[cut:].lstrip("-")
            if head in self._postings and rest in self._postings and self.generic(rest) and not self.generic(head):
                out.add(head)
        return out

    def weight(self, rows: int) -> float:
        """A term's weight: its IDF above that of a generic word, so that "kotona asuvien tueksi" cannot
        outweigh "yöpartiotoiminta"; a term no chunk carries weighs the most."""
        idf = math.log(1 + self.size / rows) if rows else self.unknown
        return max(idf - self._generic_idf, self.t.min_weight)

    def topic(self, terms: Sequence[Term], either: Sequence[Sequence[int]] = ()) -> Topic:
        """The ``Topic`` of ``terms``: carriers include alternatives, glossary synonyms and, for a hyphenated
        name ("RAI-arviointi", "Kanta-arkisto"), the other compounds of that name. A verb the corpus never
        uses is left out (a question's verb is often a paraphrase); an unknown noun stays and weighs most."""
        kept: list[int] = []
        carriers: list[frozenset[str]] = []
        part_sets: list[tuple[tuple[str, ...], ...]] = []
        weights: list[float] = []
        for i, term in enumerate(terms):
            found: set[str] = set()
            parts: list[tuple[str, ...]] = []
            for alt in (term, *term.alternatives):
                found |= self.carriers(alt.lemma) | self._named(alt)
                for synonym in synonyms(alt.lemma):
                    found |= self.carriers(synonym)
                if len(alt.parts) > 1:
                    parts.append(alt.parts)
            rows = {r for lemma in found for r in self._postings.get(lemma, ())}
            for ps in parts:
                rows |= set.intersection(*(set(self._postings.get(p, ())) for p in ps))
            if term.verb and not rows:
                continue
            kept.append(i)
            carriers.append(frozenset(found))
            part_sets.append(tuple(parts))
            weights.append(self.weight(len(rows)))
        index = {old: new for new, old in enumerate(kept)}
        groups = tuple(g for g in (tuple(index[i] for i in group if i in index) for group in either) if g)
        return Topic(tuple(terms[i] for i in kept), tuple(carriers), tuple(part_sets), tuple(weights),
                     groups if len(groups) > 1 else ())

    def _named(self, term: Term) -> set[str]:
        """For a hyphenated compound whose first piece is written as a name ("RAI-arviointi", "Kanta-arkisto",
        "AVAIN-mätaren"): every compound of that name, and an acronym on its own ("RAI:n")."""
        word = term.word
        if "-" not in word.strip("-") or not word[:1].isupper():
            return set()
        piece = word.split("-")[0]
        lemma = (tokenize(piece) or [piece.lower()])[0]
        prefix = lemma + "-"
        out = set()
        i = bisect.bisect_left(self._vocab, prefix)
        while i < len(self._vocab) and self._vocab[i].startswith(prefix):
            out.add(self._vocab[i])
            i += 1
        if piece.isupper() and lemma in self._postings:
            out.add(lemma)
        return out

    def rows_with(self, topic: Topic) -> set[int]:
        """Chunks (rows) that could carry the topic: each holds some term's carrier or all of its parts."""
        rows: set[int] = set()
        for carriers, part_sets in zip(topic.carriers, topic.part_sets, strict=True):
            for lemma in carriers:
                rows.update(self._postings.get(lemma, ()))
            for ps in part_sets:
                rows |= set.intersection(*(set(self._postings.get(p, ())) for p in ps))
        return rows

    def chunk_coverage(self, topic: Topic, chunk_id: int, partial: bool = False) -> float:
        """The topic's coverage by a whole chunk's lemmas (``partial``: counting terms whose parts appear,
        see ``Topic.touches``); 0 for a chunk this index does not have."""
        row = self._row.get(chunk_id)
        if row is None:
            return 0.0
        tokens = self._sets[row]
        return topic.touches(tokens, tokens) if partial else topic.coverage(tokens, tokens)


def lemma_sets(text: str) -> tuple[frozenset[str], frozenset[str]]:
    """(word lemmas, lemmas with compound parts) of ``text``; a hyphenated word's pieces count as words.

    >>> sorted(lemma_sets("Lasten suojelu")[0]), sorted(lemma_sets("lastensuojelun")[1])
    (['lapsi', 'suojelu'], ['lapsi', 'lastensuojelu', 'suojelu'])
    """
    full: set[str] = set()
    tokens: set[str] = set()
    for word in text.split():
        found = tokenize(word)
        if not found:
            continue
        tokens.update(found)
        full.add(found[0])
        if "-" in word.strip("-"):
            full.update(p[0] for p in (tokenize(piece) for piece in word.split("-")) if p)
    return frozenset(full), frozenset(tokens)
