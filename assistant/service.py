"""``Assistant.ask``: the one entry point for question answering, shared by the API and the CLI."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Any

from assistant.answering import compose_by_region, compose_not_found, compose_single
from assistant.config import Settings
from assistant.embedding import Embedder, make_embedder
from assistant.errors import AssistantError, InvalidQuestion, NotFound
from assistant.followup import resolve
from assistant.language import detect_language
from assistant.records import Answer, Comparison, Filters, Passage, Turn
from assistant.regions import REGIONS, canonical_region, mentioned_regions, strip_regions
from assistant.relevance import Relevance, Thresholds
from assistant.retrieval import Fusion, Retriever, is_comparative
from assistant.snapshot import Snapshot, current_generation, load_snapshot

PASSAGES_RETURNED = 12
MAX_TOPICS = 10
MAX_TOPIC_CHARS = 200
KNOWN_REGIONS = {r.name for r in REGIONS}


@dataclass(frozen=True)
class Loaded:
    snapshot: Snapshot
    retriever: Retriever
    relevance: Relevance


class Assistant:
    """Holds the loaded index and answers questions. Reloads when a re-index swaps in a new generation."""

    def __init__(self, settings: Settings, embedder: Embedder | None = None,
                 thresholds: Thresholds | None = None, fusion: Fusion | None = None) -> None:
        self.settings = settings
        self.thresholds = thresholds or Thresholds()
        self.fusion = fusion
        self._embedder = embedder
        self._lock = threading.Lock()
        self._loaded: Loaded | None = None
        self._composer: Any = None
        if settings.llm_url:
            from assistant.llm import LlmComposer

            self._composer = LlmComposer(settings.llm_url, settings.llm_model, settings.llm_key, settings.llm_timeout)

    # -- index lifecycle -------------------------------------------------------------------------------
    def load(self) -> Loaded:
        """The loaded index, (re)loading it if the live generation changed. Raises ``IndexMissing``.

        While one request loads a new generation, the others keep answering from the previous one.
        """
        live = current_generation(self.settings.index_dir)
        loaded = self._loaded
        if loaded is not None and (live is None or live == loaded.snapshot.path):
            return loaded  # keep serving what we have, even if the files went away
        if not self._lock.acquire(blocking=loaded is None):
            return loaded  # type: ignore[return-value]  # someone else is loading; loaded is not None here
        try:
            if self._loaded is not None and self._loaded.snapshot.path == live:
                return self._loaded
            if self._embedder is None:
                self._embedder = make_embedder(self.settings.embedder)
            try:
                snapshot = load_snapshot(self.settings.index_dir, self._embedder.name)
            except AssistantError:
                if self._loaded is not None:
                    return self._loaded  # a broken new generation never replaces a good one
                raise
            retriever = Retriever(snapshot, self._embedder, self.fusion)
            relevance = Relevance(retriever.chunks, self.thresholds, [sc.tokens for sc in snapshot.chunks])
            self._loaded = Loaded(snapshot, retriever, relevance)
            return self._loaded
        finally:
            self._lock.release()

    @property
    def embedder(self) -> Embedder | None:
        """The embedder in use (created on first load), so another assistant can share it."""
        return self._embedder

    @property
    def llm_enabled(self) -> bool:
        return self._composer is not None

    # -- questions -------------------------------------------------------------------------------------
    def validate(self, question: str) -> str:
        question = " ".join(question.split())
        if not question:
            raise InvalidQuestion("The question is empty. Type a question, e.g. 'Missä alueilla Omaoloa käytetään?'")
        if len(question) > self.settings.max_question_chars:
            raise InvalidQuestion(
                f"The question is {len(question)} characters long; the limit is {self.settings.max_question_chars}. "
                "Shorten it to the essentials."
            )
        return question

    def ask(self, question: str, history: Sequence[Turn] = (), filters: Filters | None = None) -> Answer:
        """Answer ``question`` with citations, or abstain with the closest passages."""
        answer, resolved = self._extractive(question, history, filters)
        if self._composer is None or answer.abstained or not answer.citations:
            return answer
        return self._with_llm(resolved, history, answer)

    def stream(self, question: str, history: Sequence[Turn] = (), filters: Filters | None = None
               ) -> Iterator[str | Answer]:
        """Text deltas while the LLM composer writes (if one is configured), then the final ``Answer``.

        If the LLM fails mid-stream the final answer is the extractive one with a note; clients replace
        the streamed text with the final answer's text.
        """
        answer, resolved = self._extractive(question, history, filters)
        if self._composer is None or answer.abstained or not answer.citations:
            yield answer
            return
        from assistant.llm import LlmUnavailable, build_messages

        passages = _for_llm(answer)
        pieces: list[str] = []
        try:
            for piece in self._composer.stream(build_messages(resolved, answer.language, passages, history)):
                pieces.append(piece)
                yield piece
        except LlmUnavailable as exc:
            yield replace(answer, notes=(exc.message,))
            return
        yield _llm_answer("".join(pieces), answer.language, passages, answer)

    def _extractive(self, question: str, history: Sequence[Turn], filters: Filters | None) -> tuple[Answer, str]:
        """The extractive answer and the question as resolved against the history."""
        question = self.validate(question)
        loaded = self.load()
        retriever = loaded.retriever
        filters = self._canonical(filters or Filters())
        resolved = resolve(question, history)
        language = detect_language(question)
        named = mentioned_regions(resolved)
        missing = [r for r in named if r in KNOWN_REGIONS and r not in retriever.regions]
        present = [r for r in named if r in retriever.regions]
        # Naming two or more regions asks for a comparison between them.
        comparative = (is_comparative(resolved) and len(present) != 1) or len(present) >= 2
        if present and not filters.regions:
            filters = replace(filters, regions=tuple(present))
        lexical_query = strip_regions(resolved) if present else resolved
        scored = retriever.score(lexical_query if present else resolved, language, lexical_query)
        mask = retriever.mask(filters)
        terms = loaded.relevance.terms(lexical_query, language)
        idf = loaded.relevance.idf
        passages = retriever.top(scored, mask, PASSAGES_RETURNED)
        if missing and not present:
            return compose_not_found(language, passages[:5], missing), resolved
        if comparative:
            regions = filters.regions or retriever.regions
            groups = retriever.by_region(scored, mask, tuple(regions), self.thresholds.region_depth)
            kept = loaded.relevance.regions_with_evidence(lexical_query, terms, groups, language)
            if not kept:
                return compose_not_found(language, passages[:5]), resolved
            if len(kept) == 1 and not is_comparative(resolved):
                return compose_single(resolved, language, _interleave(kept, passages), idf=idf), resolved
            # Two passages per region with evidence first, then each other region's best, then the rest.
            others = {r: ps[:1] for r, ps in groups.items() if r not in kept}
            ranked = _interleave({r: ps[:2] for r, ps in kept.items()},
                                 _interleave(others, _interleave(kept, passages)))
            return compose_by_region(resolved, language, kept, ranked, idf=idf), resolved
        if not present and not filters.regions:
            passages = _diversify(passages, retriever.by_region(scored, mask, retriever.regions, 1))
        if not loaded.relevance.answerable(terms, passages, language):
            return compose_not_found(language, passages[:5], missing), resolved
        return compose_single(resolved, language, passages, idf=idf), resolved

    def _with_llm(self, question: str, history: Sequence[Turn], extractive: Answer) -> Answer:
        from assistant.llm import LlmUnavailable, build_messages

        passages = _for_llm(extractive)
        try:
            text = self._composer.complete(build_messages(question, extractive.language, passages, history))
        except LlmUnavailable as exc:
            return replace(extractive, notes=(exc.message,))
        return _llm_answer(text, extractive.language, passages, extractive)

    def _canonical(self, filters: Filters) -> Filters:
        regions = []
        for name in filters.regions:
            canonical = canonical_region(name)
            if canonical is None:
                raise InvalidQuestion(f"Unknown region '{name}'. Use one of: {', '.join(sorted(KNOWN_REGIONS))}.")
            regions.append(canonical)
        return replace(filters, regions=tuple(regions))

    # -- practice map ------------------------------------------------------------------------------------
    def compare(self, topics: Sequence[str], regions: Sequence[str] = (), documents: Sequence[str] = ()
                ) -> Comparison:
        """The practice map: one cell per topic x region (regions default to every region in the index).

        Raises ``InvalidQuestion`` for no topics, more than ``MAX_TOPICS``, empty or overlong topics and
        unknown regions.
        """
        from assistant.practice_map import map_topic

        cleaned = [" ".join(t.split()) for t in topics]
        if not cleaned or len(cleaned) > MAX_TOPICS:
            raise InvalidQuestion(f"Give 1 to {MAX_TOPICS} topics, e.g. [\"Omaolo\", \"kotisairaala\"]; got {len(cleaned)}.")
        if any(not t or len(t) > MAX_TOPIC_CHARS for t in cleaned):
            raise InvalidQuestion(f"Each topic must be 1 to {MAX_TOPIC_CHARS} characters of text; remove empty topics.")
        loaded = self.load()
        wanted = self._canonical(Filters(regions=tuple(regions))).regions or loaded.retriever.regions
        cells = [cell for topic in dict.fromkeys(cleaned)
                 for cell in map_topic(loaded.retriever, topic, wanted, Filters(documents=tuple(documents)))]
        return Comparison(tuple(dict.fromkeys(cleaned)), tuple(wanted), tuple(cells))

    # -- documents -------------------------------------------------------------------------------------
    def health(self) -> dict[str, Any]:
        loaded = self.load()
        snap = loaded.snapshot
        return {
            "status": "ok", "documents": len(snap.documents), "chunks": len(snap.chunks),
            "embedder": snap.embedder, "regions": list(loaded.retriever.regions), "built_at": snap.manifest.get("built_at"),
            "tokenizer": snap.manifest.get("tokenizer"), "llm": self.llm_enabled,
            "auth_required": bool(self.settings.api_token),
        }

    def documents(self) -> list[dict[str, Any]]:
        snap = self.load().snapshot
        counts: dict[str, int] = {}
        for sc in snap.chunks:
            counts[sc.chunk.doc_id] = counts.get(sc.chunk.doc_id, 0) + 1
        return [_describe(d.doc_id, d.info, counts.get(d.doc_id, 0)) for d in snap.documents.values()]

    def document(self, doc_id: str) -> dict[str, Any]:
        snap = self.load().snapshot
        doc = snap.documents.get(doc_id)
        if doc is None:
            raise NotFound(f"No document '{doc_id}'. GET /api/documents lists the ids.")
        counts = sum(1 for sc in snap.chunks if sc.chunk.doc_id == doc_id)
        return {**_describe(doc_id, doc.info, counts), "text": doc.text}


def _describe(doc_id: str, info: Any, chunks: int) -> dict[str, Any]:
    return {"id": doc_id, "title": info.title, "region": info.region, "year": info.year, "kind": info.kind,
            "organisation": info.organisation, "period": info.period, "has_metadata": info.has_metadata,
            "chunks": chunks}


def _interleave(groups: dict[str, list[Passage]], rest: Sequence[Passage]) -> list[Passage]:
    """Region groups round-robin (best region first), then the remaining passages, without repeats."""
    out: list[Passage] = []
    seen: set[int] = set()
    depth = max((len(v) for v in groups.values()), default=0)
    for i in range(depth):
        for found in groups.values():
            if i < len(found) and found[i].chunk.chunk_id not in seen:
                out.append(found[i])
                seen.add(found[i].chunk.chunk_id)
    out += [p for p in rest if p.chunk.chunk_id not in seen]
    return out[: max(PASSAGES_RETURNED, len(groups))]


def _diversify(passages: list[Passage], best_of_region: dict[str, list[Passage]], head: int = 5) -> list[Passage]:
    """Keep the top ``head`` as ranked, then make sure every region's best passage follows, so a question
    that names no region still shows where else the topic appears; then the rest."""
    out = list(passages[:head])
    seen = {p.chunk.chunk_id for p in out}
    regions = {p.chunk.region for p in out}
    extra = sorted((ps[0] for r, ps in best_of_region.items() if ps and r not in regions), key=lambda p: -p.score)
    for p in [*extra, *passages[head:]]:
        if p.chunk.chunk_id not in seen:
            out.append(p)
            seen.add(p.chunk.chunk_id)
    return out[:PASSAGES_RETURNED]


def _for_llm(answer: Answer, limit: int = 8) -> list[Passage]:
    """The passages the LLM may cite: those the extractive answer cited first, then the next best."""
    chosen = {c.passage.chunk.chunk_id: c.passage for c in answer.citations}
    for p in answer.passages:
        chosen.setdefault(p.chunk.chunk_id, p)
    return list(chosen.values())[:limit]


def _llm_answer(text: str, language: str, passages: list[Passage], extractive: Answer) -> Answer:
    """Keep only citations of given passages and renumber them in order of first use."""
    import re

    from assistant.answering import Citations
    from assistant.llm import drop_unknown_citations

    text = drop_unknown_citations(text, range(1, len(passages) + 1))
    cites = Citations()
    renumbered = re.sub(r"\[(\d+)\]", lambda m: f"[{cites.number(passages[int(m.group(1)) - 1])}]", text)
    return Answer(renumbered, False, language, cites.all(), extractive.passages)
