"""Corpus statistics for relevance: which corpus lemmas carry a topic term, how much each term weighs,
and whether a passage is relevant enough to answer from.

A term is carried by its lemma, by a compound that contains it at a compound boundary ("kotisairaala" in
"kotisairaalatoiminta", "sairaala" in "kotisairaala"), by the specific part of a compound whose other part
is generic ("yöpartio" for "yöpartiotoiminta", "omaolo" for "omaolo-palvelu"), by its compound parts side
by side ("lasten suojelu" for "lastensuojelu"), and by its glossary synonyms. Terms weigh their IDF over
chunks (Voikko lemmas, as in the BM25 index), so that a rare name outweighs a common word. Thresholds are
calibrated on the calibration halves of tests/data (README, "Measuring quality").
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Iterable, Iterator, Sequence, Set

import numpy as np

from assistant.glossary import synonyms
from assistant.lexical import snowball_stem, tokenize
from assistant.morphology import analyse
from assistant.sparse import SparseBm25, union_rows
from assistant.thresholds import Thresholds
from assistant.topic import Topic
from assistant.topic_term import Term, word_parts

DERIVATION_SUFFIX = 5  # "-minen", "-ntina": longer remainders are compounds


class Relevance:
    """Lemma statistics of one loaded index, read from its BM25 postings (no per-chunk Python sets), so
    building it costs the vocabulary, not the corpus."""

    def __init__(self, sparse: SparseBm25, documents: np.ndarray, chunk_ids: np.ndarray,
                 thresholds: Thresholds) -> None:
        """``sparse``: the index's postings (rows in catalog order); ``documents``: each row's document code;
        ``chunk_ids``: each row's chunk id."""
        self.t = thresholds
        self._sparse = sparse
        self._ids = np.asarray(chunk_ids, dtype=np.int64)
        self._by_id = np.argsort(self._ids, kind="stable")
        self.size = max(sparse.num_rows, 1)
        self._vocab = sorted(sparse.vocab)
        self._reversed = sorted(v[::-1] for v in sparse.vocab)
        self._generic = max(2, int(self.size * thresholds.generic_share))
        self._docs = np.asarray(documents, dtype=np.int64)
        self._documents = int(self._docs.max()) + 1 if len(self._docs) else 0
        everywhere = max(1, len(np.unique(self._docs))) * thresholds.per_document
        self._generic_idf = math.log(1 + self.size / everywhere)
        self._head = max(2, int(self.size * thresholds.generic_head_share))
        self._carriers: dict[str, frozenset[str]] = {}
        self._term_rows: dict[tuple[frozenset[str], tuple[tuple[str, ...], ...]], np.ndarray] = {}
        # A word the corpus never uses is the rarest of all: its absence must weigh the most.
        self.unknown = math.log(1 + 2 * self.size)

    @classmethod
    def of_tokens(cls, token_lists: Sequence[Sequence[str]], thresholds: Thresholds,
                  chunk_ids: Sequence[int] = (), documents: Sequence[str] = ()) -> Relevance:
        """From each chunk's tokens in memory (small corpora and tests); ids default to row numbers."""
        codes = {d: i for i, d in enumerate(dict.fromkeys(documents))}
        return cls(SparseBm25.from_tokens(token_lists),
                   np.array([codes[d] for d in documents] if documents else [0] * len(token_lists)),
                   np.array(chunk_ids if chunk_ids else range(len(token_lists))), thresholds)

    def __contains__(self, lemma: object) -> bool:
        return lemma in self._sparse.term_id

    def _rows(self, lemma: str) -> np.ndarray:
        return self._sparse.rows_with(lemma)

    def _union(self, lemmas: Iterable[str]) -> np.ndarray:
        return union_rows([self._rows(lemma) for lemma in lemmas], self.size)

    def _together(self, parts: Sequence[str]) -> np.ndarray:
        """Rows that hold every one of ``parts``."""
        rows = np.asarray(self._rows(parts[0]), dtype=np.int64)
        for p in parts[1:]:  # keep the rows also in the next list (a bitmap: no sort of long lists)
            held = np.zeros(self.size, dtype=bool)
            held[self._rows(p)] = True
            rows = rows[held[rows]]
        return rows

    def row_of(self, chunk_id: int) -> int | None:
        """The catalog row of a chunk id (None if this index lacks it)."""
        if not len(self._ids):
            return None
        pos = int(np.searchsorted(self._ids, chunk_id, sorter=self._by_id))
        row = int(self._by_id[min(pos, len(self._ids) - 1)])
        return row if self._ids[row] == chunk_id else None

    def df(self, lemma: str) -> int:
        return self._sparse.df(lemma)

    def idf(self, lemma: str) -> float:
        df = self.df(lemma)
        return math.log(1 + self.size / df) if df else self.unknown

    def generic(self, lemma: str) -> bool:
        return self.df(lemma) >= self._generic

    def carriers(self, lemma: str) -> frozenset[str]:
        """Corpus lemmas that carry ``lemma`` (see the module docstring); cached per lemma."""
        found = self._carriers.get(lemma)
        if found is None:
            found = frozenset((self._containing(lemma) | self._specific_part(lemma)) or self._stem_prefix(lemma))
            if len(self._carriers) < 50_000:
                self._carriers[lemma] = found
        return found

    def _containing(self, lemma: str) -> set[str]:
        out = self._own(lemma)
        if len(lemma) >= 4:
            backwards = lemma[::-1]
            i = bisect.bisect_left(self._reversed, backwards)
            while i < len(self._reversed) and self._reversed[i].startswith(backwards):
                word = self._reversed[i][::-1]
                if len(word) - len(lemma) >= 3:  # ends with the lemma: a kind of it ("kotisairaala")
                    out.add(word)
                i += 1
        return out

    def _starting(self, prefix: str) -> Iterator[str]:
        """Corpus lemmas that begin with ``prefix``, in order."""
        i = bisect.bisect_left(self._vocab, prefix)
        while i < len(self._vocab) and self._vocab[i].startswith(prefix):
            yield self._vocab[i]
            i += 1

    def _own(self, lemma: str) -> set[str]:
        """The lemma and the compounds it begins ("kotisairaala", "kotisairaalatoiminta"): what its weight
        is counted on (compounds that end with it are often something else: "ennaltaehkäisy")."""
        out = {lemma} if lemma in self else set()
        for word in self._starting(lemma):
            rest = word[len(lemma):]
            # A compound starting with the lemma at a boundary: a hyphen, or the rest is a word itself.
            if rest.startswith("-") or (len(lemma) >= 4 and len(rest) >= 3 and rest in self):
                out.add(word)
        return out

    def derivations(self, stem: str) -> set[str]:
        """Corpus lemmas derived from a verb stem by a suffix ("hallinno" -> hallinnoija, hallinnointi;
        "pilotoi" -> pilotointi): the stem plus at most ``DERIVATION_SUFFIX`` letters, so compounds that
        begin with the word ("pilotointivaihe") stay out."""
        if len(stem) < 5:
            return set()
        return {w for w in self._starting(stem) if len(w) - len(stem) <= DERIVATION_SUFFIX}

    def _stem_prefix(self, word: str) -> set[str]:
        """For a word neither Voikko nor the corpus knows: corpus lemmas starting with its Snowball stem."""
        stem = snowball_stem(word)
        return set(self._starting(stem)) if len(stem) >= 5 else set()

    def _specific_part(self, lemma: str) -> set[str]:
        """"yöpartio" for a "yöpartiotoiminta" the corpus lacks: the compound minus a generic last part."""
        out = set()
        for cut in range(3, len(lemma) - 2):
            head, rest = lemma[:cut].rstrip("-"), lemma[cut:].lstrip("-")
            if head in self and rest in self and self.df(rest) >= self._head \
                    and not self.generic(head):
                out.add(head)
        return out

    def spread(self, rows: np.ndarray) -> int:
        """How widely ``rows`` spread over documents: chunks counted up to ``per_document`` per document, so
        that a practice one plan discusses at length ("digipalveluyksikkö" in 30 chunks of Lappi's plan)
        stays as specific as one mentioned once."""
        per = np.bincount(self._docs[np.asarray(rows, dtype=np.int64)], minlength=self._documents)
        return int(np.minimum(per, self.t.per_document).sum())

    def weight(self, rows: np.ndarray) -> float:
        """A term's weight: its IDF (over the spread of its chunks) above that of a word every document uses
        throughout, so that "kotona asuvien tueksi" cannot outweigh "yöpartiotoiminta"; a term no chunk
        carries weighs the most."""
        spread = self.spread(rows)
        idf = math.log(1 + self.size / spread) if spread else self.unknown
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
                compounds, acronym = self._named(alt)
                # A name the corpus uses ("Voimaperheet", "Kanta-palvelut") is carried by its own compounds, not
                # by a part of it that is a common word ("voima", "kanta").
                own_name = self._containing(alt.lemma) if alt.word[:1].isupper() else set()
                found |= (own_name or self.carriers(alt.lemma)) | compounds | self._name_of_kind(alt)
                if acronym:  # a word of its own, never a compound part ("AVAIN", not "avainhenkilö")
                    parts.append((acronym,))
                for synonym in synonyms(alt.lemma):
                    found |= self.carriers(synonym)
                if len(alt.parts) > 1:
                    parts.append(alt.parts)
            own = set().union(*(self._own(a.lemma) | synonyms(a.lemma) for a in (term, *term.alternatives)))
            rows = self._union(own or found)
            for ps in parts if not len(rows) or any(len(p) == 1 for p in parts) else ():
                rows = np.union1d(rows, self._together(ps))
            if term.verb and not (len(rows) or found):
                continue
            kept.append(i)
            carriers.append(frozenset(found))
            part_sets.append(tuple(parts))
            # A verb is the question's predicate more than its topic; a genitive attribute specifies its head.
            weight = self.t.min_weight if term.verb or term.guessed else self.weight(rows)
            weights.append(weight * (self.t.modifier_weight if term.modifier else 1.0))
        if any(not terms[i].verb for i in kept):  # a question's verb describes, its nouns name the topic
            keep = [n for n, i in enumerate(kept) if not terms[i].verb]
            kept = [kept[n] for n in keep]
            carriers = [carriers[n] for n in keep]
            part_sets = [part_sets[n] for n in keep]
            weights = [weights[n] for n in keep]
        index = {old: new for new, old in enumerate(kept)}
        groups = tuple(g for g in (tuple(index[i] for i in group if i in index) for group in either) if g)
        # An alternative of generic words only ("X (Strongest Families)" -> "perhe") cannot name the topic alone.
        specific = tuple(g for g in groups if any(weights[i] > self.t.min_weight for i in g))
        groups = specific if specific else groups
        return Topic(tuple(terms[i] for i in kept), tuple(carriers), tuple(part_sets), tuple(weights),
                     groups if len(groups) > 1 else ())

    def _named(self, term: Term) -> tuple[set[str], str | None]:
        """For a hyphenated compound whose first piece is written as a name ("RAI-arviointi", "Kanta-arkisto",
        "AVAIN-mätaren"): every compound of that name, and an acronym as a word of its own ("RAI:n")."""
        word = term.word
        if "-" not in word.strip("-"):
            return set(), None
        piece = word.split("-")[0]
        lemma = (tokenize(piece) or [piece.lower()])[0]
        # A lowercase hyphenated word the corpus never uses ("walk-in-tyyppisiä") is named by its first piece
        # too, unless that piece is a common word ("sote-", "etä-").
        if not word[:1].isupper() and (self.carriers(term.lemma) or self.generic(lemma) or len(lemma) < 3):
            return set(), None
        return set(self._starting(lemma + "-")), lemma if piece.isupper() and lemma in self else None

    def _name_of_kind(self, term: Term) -> set[str]:
        """"voimaperhe" for "Voimaperheet-ohjelma", "barnahus" for "Barnahus-malli": a hyphenated name whose last
        piece is a generic kind of thing (ohjelma, malli, hanke) is the name whatever kind the text calls it."""
        if "-" not in term.word.strip("-") or len(term.parts) != 2:
            return set()
        name, kind = term.parts
        piece = term.word.split("-")[0]
        if analyse(piece).known and not word_parts(piece):
            return set()  # a plain dictionary word ("Kanta-palvelut") names nothing on its own
        return self._own(name) if self.generic(kind) and not self.generic(name) and len(name) >= 4 else set()

    def names(self, topic: Topic, tokens: Set[str]) -> bool:
        """Whether a text with these lemmas names every term of the topic (or of one alternative group) by its
        own lemma or a compound that begins with it, not only through a part, synonym or generic head."""
        named = [bool(tokens & set().union(*(self._own(a.lemma) for a in (t, *t.alternatives)))) for t in topic.terms]
        groups = topic.either or (tuple(range(len(topic.terms))),)
        return any(all(named[i] for i in group) for group in groups)

    def rows_with(self, topic: Topic) -> np.ndarray:
        """Rows (ascending) that could carry the topic: each holds some term's carrier or all of its parts."""
        return union_rows([self.term_rows(topic, i) for i in range(len(topic.terms))], self.size)

    def term_rows(self, topic: Topic, i: int) -> np.ndarray:
        """Rows (ascending) that carry term ``i`` of the topic; the last few terms' rows are remembered, since
        one question asks for them several times (candidates, coverage, presence)."""
        key = (topic.carriers[i], topic.part_sets[i])
        found = self._term_rows.get(key)
        if found is None:
            found = union_rows([self._union(topic.carriers[i]), *(self._together(ps) for ps in topic.part_sets[i])],
                               self.size)
            if len(self._term_rows) >= 64:
                self._term_rows.clear()
            self._term_rows[key] = found
        return found

    def chunk_coverage(self, topic: Topic, chunk_id: int, partial: bool = False) -> float:
        """The topic's coverage by a whole chunk's lemmas (``partial``: counting terms whose parts appear,
        see ``Topic.touches``); 0 for a chunk this index does not have."""
        row = self.row_of(chunk_id)
        return 0.0 if row is None else self.row_coverage(topic, row, partial)

    def row_coverage(self, topic: Topic, row: int, partial: bool = False) -> float:
        tokens = self._sparse.terms_of(row)
        return topic.touches(tokens, tokens) if partial else topic.coverage(tokens, tokens)

