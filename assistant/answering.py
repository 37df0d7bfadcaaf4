"""Compose answers: the extractive composer (the default, no LLM); the ``Composer`` seam is in ``composer``.

Every claim of an extractive answer is a sentence quoted from a passage, followed by the number of the
citation that points at that passage. When the documents do not hold what was asked (the topic is absent,
or a date, figure or name was asked and no sentence about the topic has one) the answer abstains and says
what the documents do say, with its citation.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence

from assistant.composer import Citations, Composer
from assistant.evidence import Found
from assistant.phrases import NOT_TOLD, phrase
from assistant.question import Query
from assistant.ranking import Candidate, Echo, Ranked, Weights, enumerates, near_topic, rank
from assistant.records import Answer, Chunk, Passage
from assistant.relevance import Relevance, Thresholds
from assistant.retrieval import PASSAGES_RETURNED, Retrieved
from assistant.sentence_index import IndexedSentence, SentenceIndex

__all__ = ["Citations", "Composer", "ExtractiveComposer"]

SINGLE_PASSAGES = 4  # passages whose sentences compete to answer a single-region question
FIGURE_PASSAGES = 8  # the same when a date, figure or name is asked (it may sit a little lower)
EVIDENCE_CANDIDATES = 20  # evidence sentences (in scope, strongest first) that compete as well
TOP_KEPT = 2  # retrieved passages that stay first in a region-by-region answer's sources (calibrated)
LIST_ITEMS = 8
REGION_SENTENCES = 2  # sentences quoted per region: the best and one that scores close to it
LIST_ITEM_CHARS = 240  # a longer line is prose, not a list item
_BARE_YEAR = re.compile(r"(?:19|20)\d{2}|\d{1,2}")  # a year or a small number ties nothing


class ExtractiveComposer:
    """Quotes the sentences that answer, from one loaded index's sentences."""

    def __init__(self, chunk_of: Callable[[int], Chunk | None], sentences: SentenceIndex, relevance: Relevance,
                 thresholds: Thresholds, weights: Weights | None = None) -> None:
        """``chunk_of``: a chunk of the index by id (for a quoted sentence outside the retrieved passages)."""
        self._chunk_of = chunk_of
        self.sentences = sentences
        self.relevance = relevance
        self.t = thresholds
        self.weights = weights or Weights()

    def compose_stream(self, query: Query, retrieved: Retrieved) -> Iterator[str | Answer]:
        yield self.compose(query, retrieved)

    def compose(self, query: Query, retrieved: Retrieved) -> Answer:
        if query.missing and not query.regions:
            return self._abstain(query, retrieved, phrase(query.language, "no_region", regions=", ".join(query.missing)))
        if query.comparative and retrieved.topic:
            return self._by_region(query, retrieved)
        return self._single(query, retrieved)

    # -- one answer ------------------------------------------------------------------------------------
    def _single(self, query: Query, retrieved: Retrieved) -> Answer:
        if not retrieved.passages:
            return self._abstain(query, retrieved, phrase(query.language, "not_found"))
        evidence = [f for found in retrieved.evidence.values() for f in found]
        if retrieved.topic and not retrieved.present:
            return self._absent(query, retrieved)
        if not self._relevant(query, retrieved):
            return self._abstain(query, retrieved, phrase(query.language, "not_found"))
        ranked = rank(query.kind, retrieved.topic, self._candidates(retrieved, evidence, FIGURE_PASSAGES if query.asks_figure else SINGLE_PASSAGES), self.weights, Echo.of(query))
        if query.asks_figure:
            fitting = [r for r in ranked if r.fits and self._about_topic(query, r, retrieved)]
            if not fitting:
                return self._not_told(query, retrieved, ranked)
            ranked = fitting + [r for r in ranked if r not in fitting]
        cites = Citations()
        parts = [f"{r.candidate.sentence.text} [{cites.number(self._passage(r, retrieved))}]"
                 for r in self._choose(query, ranked)]
        return self._answer(query, " ".join(parts), cites, retrieved.passages)

    def _candidates(self, retrieved: Retrieved, evidence: Sequence[Found], depth: int = SINGLE_PASSAGES
                    ) -> list[Candidate]:
        order = {p.chunk.chunk_id: i for i, p in enumerate(retrieved.passages)}
        chosen: dict[int, tuple[IndexedSentence, int]] = {}
        for p in retrieved.passages[:depth]:
            for s in self.sentences.of_chunk(p.chunk):
                chosen.setdefault(s.id, (s, order[p.chunk.chunk_id]))
        if retrieved.similarity is not None:
            self.sentences.prepare_vectors([f.sentence for f in evidence] + [s for s, _ in chosen.values()])
        for f in sorted(evidence, key=lambda f: -(f.coverage + retrieved.dense(f.sentence)))[:EVIDENCE_CANDIDATES]:
            chosen.setdefault(f.sentence.id, (f.sentence, min(order.get(c, len(order)) for c in f.sentence.chunks)))
        return [self._candidate(s, rank_, retrieved) for s, rank_ in chosen.values()]

    def _candidate(self, s: IndexedSentence, rank_: int, retrieved: Retrieved) -> Candidate:
        topic = retrieved.topic
        context = max((topic.coverage(c.full, c.tokens, c.sequence) for c in self._context(s)), default=0.0) if topic else 0.0
        return Candidate(s, rank_, retrieved.dense(s), context)

    def _context(self, s: IndexedSentence) -> list[IndexedSentence]:
        """The sentences that set the context of ``s`` in its passage: the one before it, and for a list item
        the items above it and the line that opens the list ("Mittareina PROMIS…" for "Asiakasmäärä vähintään
        100." two items below)."""
        out: list[IndexedSentence] = []
        at: IndexedSentence | None = s
        while at is not None and len(out) < LIST_ITEMS:
            before = self._before(at)
            if before is None:
                break
            out.append(before)
            at = before if at.item else None  # climb the list up to the line that opens it
        return out

    def _after(self, s: IndexedSentence) -> IndexedSentence | None:
        """The quotable sentence after ``s`` in the same passage, if any."""
        after = self.sentences.get(s.id + 1)
        ok = after and after.doc_id == s.doc_id and set(after.chunks) & set(s.chunks) and after.quotable
        return after if ok else None

    def _before(self, s: IndexedSentence) -> IndexedSentence | None:
        """The sentence before ``s`` in the same passage, if any."""
        before = self.sentences.get(s.id - 1) if s.id > 0 else None
        return before if before and before.doc_id == s.doc_id and set(before.chunks) & set(s.chunks) else None

    def _about_topic(self, query: Query, r: Ranked, retrieved: Retrieved) -> bool:
        """A figure answers only if it stands near the topic in a sentence about it (or after one)."""
        topic = retrieved.topic
        s = r.candidate.sentence
        if not topic:
            return True
        if not near_topic(query.kind, s.text, topic):
            # The figure stands apart from the topic words: it answers only in a sentence that carries the whole
            # topic, and a topic of generic words alone ("asukas") cannot tie a distant figure to itself.
            # Guessed translations need not be said (``Term.guessed``): the rest of the topic must be.
            sure = topic.reliable()
            specific = any(w > self.t.min_weight for w in sure.weights)
            return specific and sure.coverage(s.full, s.tokens, s.sequence) >= 1.0
        if topic.touches(s.full, s.tokens, s.sequence) >= self.t.about:
            return True
        # A date or code the question itself names ("30.6.2021 mennessä") ties the sentence to the question
        # even where a topic word is spelt beyond recognition (a hyphenation break: "kir-japidon"); a bare year
        # is too common to do so.
        if any(not _BARE_YEAR.fullmatch(n) and re.search(rf"(?<![\d.,]){re.escape(n)}(?![\d,]|\.\d)", s.text)
               for n in query.numbers):
            return True
        return any(topic.touches(c.full, c.tokens, c.sequence) >= self.t.about for c in self._context(s))

    def _choose(self, query: Query, ranked: list[Ranked], limit: int = 2) -> list[Ranked]:
        """The best sentence, a close second, or for a list question the list the best sentence opens."""
        top = ranked[0]
        if query.kind == "list":
            items = self._list_items(top.candidate.sentence)
            if len(items) > 1:
                return [Ranked(Candidate(s, top.candidate.rank), top.score, top.coverage, top.fits) for s in items]
            if enumerates(top.candidate.sentence.text):
                return [top]  # the list is in the sentence itself
        if query.kind == "why":
            after = self._after(top.candidate.sentence)
            if after is not None:  # the reason usually follows the statement it explains
                return [top, Ranked(Candidate(after, top.candidate.rank), top.score, top.coverage, top.fits)]
        return self._close(ranked, limit)

    def _close(self, ranked: list[Ranked], limit: int) -> list[Ranked]:
        """The best sentence and up to ``limit - 1`` others that score close to it, in reading order."""
        top = ranked[0]
        picks = [top]
        for r in ranked[1:]:
            if len(picks) >= limit or r.score < top.score - self.weights.second:
                break
            # A second sentence must be about the topic too, and say something new.
            if r.candidate.sentence.text.lower() != top.candidate.sentence.text.lower():
                picks.append(r)
        return sorted(picks, key=lambda r: (r.candidate.rank, r.candidate.sentence.id))

    def _list_items(self, first: IndexedSentence) -> list[IndexedSentence]:
        """``first`` and the list items that follow it in its passage (or its whole list, if it is an item)."""
        # The document's sentences in order (a list may run past the end of the passage).
        near = self.sentences.around(first, LIST_ITEMS, LIST_ITEMS)
        at = [s.id for s in near].index(first.id)
        out: list[IndexedSentence]
        if first.item:
            while at > 0 and near[at - 1].item:
                at -= 1
            out = []
        else:
            out, at = [first], at + 1
        announced = first.text.endswith(":")  # "…keskeisinä teemoina olivat:" opens a list of lines
        while at < len(near) and (near[at].item or announced) and len(out) < LIST_ITEMS:
            if len(near[at].text) > LIST_ITEM_CHARS:
                break
            out.append(near[at])
            at += 1
        return out

    def _relevant(self, query: Query, retrieved: Retrieved) -> bool:
        floor = self.t.answer if query.language == "fi" else self.t.answer_other
        topic = retrieved.topic
        best = max(p.dense + self.t.coverage_weight * (self.relevance.chunk_coverage(topic, p.chunk.chunk_id) if topic else 0)
                   for p in retrieved.passages[:5])
        return best >= floor

    # -- which regions ---------------------------------------------------------------------------------
    def _by_region(self, query: Query, retrieved: Retrieved) -> Answer:
        """One line per region with evidence, then one line naming the regions without."""
        with_evidence = [r for r in retrieved.scope if retrieved.evidence.get(r)]
        if not with_evidence:
            return self._absent(query, retrieved, anywhere=True)
        with_evidence.sort(key=lambda r: -retrieved.evidence[r][0].strength)
        cites = Citations()
        lines = [phrase(query.language, "regions", n=len(with_evidence))]
        firsts: list[Passage] = []  # each region's best sentence's passage
        for region in with_evidence:
            found = retrieved.evidence[region]
            order = {p.chunk.chunk_id: i for i, p in enumerate(retrieved.by_region.get(region, ()))}
            candidates = [self._candidate(f.sentence, min(order.get(c, len(order)) for c in f.sentence.chunks),
                                          retrieved) for f in found[:EVIDENCE_CANDIDATES]]
            ranked = rank(query.kind, retrieved.topic, candidates, self.weights, Echo.of(query))
            firsts.append(self._passage(ranked[0], retrieved))
            quoted = " ".join(f"{r.candidate.sentence.text} [{cites.number(self._passage(r, retrieved))}]"
                              for r in self._close(ranked, REGION_SENTENCES))
            lines.append(f"**{region}** — {quoted}")
        without = [r for r in retrieved.scope if r not in with_evidence]
        if without:
            lines.append(phrase(query.language, "no_mention", regions=", ".join(without)))
        seconds = [c.passage for c in cites.all()]
        more = [retrieved.passage(f.chunk) for r in with_evidence for f in retrieved.evidence[r][1:3]]
        others = [ps[0] for r, ps in retrieved.by_region.items() if ps and r not in with_evidence]
        # The best retrieved passages keep their places (the answer's sources), then each region's best quote.
        head = list(retrieved.passages[:TOP_KEPT])
        return self._answer(query, "\n".join(lines), cites,
                            _unique([*head, *firsts, *more, *others, *seconds, *retrieved.passages[TOP_KEPT:]]))

    # -- abstaining ------------------------------------------------------------------------------------
    def _absent(self, query: Query, retrieved: Retrieved, anywhere: bool = False) -> Answer:
        """The topic is nowhere in scope: say so, and quote the closest mention."""
        shown = retrieved.unseen or retrieved.topic.terms
        # Finnish shows the base form ("yöpartio"); a word Voikko does not know, and a bridged English or
        # Swedish term, as the question wrote it.
        topic = " ".join(t.lemma if query.language == "fi" and t.known else t.word or t.lemma for t in shown)
        if anywhere:
            text = phrase(query.language, "absent_anywhere", topic=topic)
        elif query.regions:
            text = phrase(query.language, "absent_in", topic=topic, regions=", ".join(query.regions))
        else:
            text = phrase(query.language, "absent", topic=topic)
        elsewhere = [f for found in retrieved.elsewhere.values() for f in found[:1]]
        if elsewhere:  # the region asked about lacks it, others have it: say where
            best = max(elsewhere, key=lambda f: (f.strength, f.sentence.quotable))
            cites = Citations()
            text += (f" {phrase(query.language, 'nearest_elsewhere')} {best.chunk.region} — {best.sentence.text} "
                     f"[{cites.number(retrieved.passage(best.chunk))}]")
            answer = self._answer(query, text, cites, retrieved.passages)
            return Answer(answer.text, True, answer.language, answer.citations, answer.passages)
        ranked = rank(query.kind, retrieved.topic, self._candidates(retrieved, (), depth=2), self.weights,
                      Echo.of(query))
        return self._nearest(query, retrieved, text, ranked)

    def _not_told(self, query: Query, retrieved: Retrieved, ranked: list[Ranked]) -> Answer:
        return self._nearest(query, retrieved, NOT_TOLD[query.language][query.kind], ranked)

    def _nearest(self, query: Query, retrieved: Retrieved, text: str, ranked: list[Ranked]) -> Answer:
        cites = Citations()
        quotable = [r for r in ranked if r.candidate.sentence.quotable]
        if quotable:
            best = quotable[0]
            text += f" {phrase(query.language, 'nearest')} {best.candidate.sentence.text} " \
                    f"[{cites.number(self._passage(best, retrieved))}]"
        answer = self._answer(query, text, cites, retrieved.passages)
        return Answer(answer.text, True, answer.language, answer.citations, answer.passages)

    def _abstain(self, query: Query, retrieved: Retrieved, text: str) -> Answer:
        """Abstain without quoting: the closest passages are listed as possibly related."""
        if retrieved.passages:
            text = f"{text} {phrase(query.language, 'closest')}"
        return Answer(text, True, query.language, (), tuple(retrieved.passages))

    # -- helpers ---------------------------------------------------------------------------------------
    def _passage(self, r: Ranked, retrieved: Retrieved) -> Passage:
        """The passage to cite for a sentence: its best-ranked chunk."""
        order = {p.chunk.chunk_id: p for p in retrieved.passages}
        for cid in r.candidate.sentence.chunks:
            if cid in order:
                return order[cid]
        chunk = self._chunk_of(r.candidate.sentence.chunks[0])
        if chunk is None:  # cannot happen within one generation: its sentences belong to its chunks
            raise LookupError(f"chunk {r.candidate.sentence.chunks[0]} is not in the index")
        return retrieved.passage(chunk)

    def _answer(self, query: Query, text: str, cites: Citations, passages: Sequence[Passage]) -> Answer:
        quotes = phrase(query.language, "quotes")
        if quotes:
            text = f"{text}\n\n{quotes}"
        return Answer(text, False, query.language, cites.all(), tuple(passages))


def _unique(passages: Sequence[Passage], limit: int = PASSAGES_RETURNED) -> tuple[Passage, ...]:
    out: dict[int, Passage] = {}
    for p in passages:
        out.setdefault(p.chunk.chunk_id, p)
    return tuple(out.values())[: max(limit, 1)]
