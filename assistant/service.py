"""``Assistant``: the one entry point for question answering and the practice map, shared by the API and
the CLI. It only orchestrates: understand the question (``question``), retrieve (``retrieval``), compose
(``answering`` / ``llm``).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from assistant.answering import Composer, ExtractiveComposer
from assistant.config import Settings
from assistant.embed_cache import EmbeddingCache
from assistant.embedding import Embedder, make_embedder
from assistant.errors import AssistantError, InvalidQuestion, NotFound
from assistant.lexicon import entries as dictionary
from assistant.question import KNOWN_REGIONS, Query, understand
from assistant.records import Answer, Comparison, Filters, Turn
from assistant.regions import canonical_region
from assistant.relevance import Thresholds
from assistant.retrieval import Fusion, Retrieved, Retriever
from assistant.snapshot import CACHE, Snapshot, current_generation, load_snapshot

MAX_TOPICS = 10
MAX_TOPIC_CHARS = 200


@dataclass(frozen=True)
class Loaded:
    snapshot: Snapshot
    retriever: Retriever
    composer: Composer


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
        self._llm: Any = None
        if settings.llm_url:
            from assistant.llm import LlmComposer

            self._llm = LlmComposer(settings.llm_url, settings.llm_model, settings.llm_key, settings.llm_timeout)

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
            retriever = Retriever(snapshot, self._embedder, self.fusion, self.thresholds, self._sentence_vectors())
            dictionary()  # read now (80 ms), not during the first English question
            composer: Composer = ExtractiveComposer(retriever.chunk, retriever.sentences, retriever.relevance,
                                                    self.thresholds)
            if self._llm is not None:
                composer = self._llm.over(composer)
            self._loaded = Loaded(snapshot, retriever, composer)
            return self._loaded
        finally:
            self._lock.release()

    def _sentence_vectors(self) -> Any:
        """Embeds sentences through the index's embedding cache, so only a new sentence costs a model call."""
        if not self.settings.sentence_vectors or self._embedder is None:
            return None
        embedder = self._embedder

        def embed(texts: list[str]) -> np.ndarray:
            cache = EmbeddingCache(self.settings.index_dir / CACHE)
            try:
                vectors, _ = cache.embed(embedder.name, texts, embedder.embed_passages)
            finally:
                cache.close()
            return vectors

        return embed

    @property
    def embedder(self) -> Embedder | None:
        """The embedder in use (created on first load), so another assistant can share it."""
        return self._embedder

    @property
    def llm_enabled(self) -> bool:
        return self._llm is not None

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

    def understand(self, question: str, history: Sequence[Turn] = ()) -> Query:
        """The question as understood against the loaded index (its regions and vocabulary)."""
        retriever = self.load().retriever
        return understand(self.validate(question), history, index_regions=retriever.regions,
                          vocabulary=retriever.vocabulary)

    def retrieve(self, question: str, history: Sequence[Turn] = (), filters: Filters | None = None
                 ) -> tuple[Query, Retrieved]:
        query = self.understand(question, history)
        return query, self.load().retriever.retrieve(query, self._canonical(filters or Filters()))

    def ask(self, question: str, history: Sequence[Turn] = (), filters: Filters | None = None) -> Answer:
        """Answer ``question`` with citations, or abstain and say what the documents do say."""
        query, retrieved = self.retrieve(question, history, filters)
        return self.load().composer.compose(query, retrieved)

    def stream(self, question: str, history: Sequence[Turn] = (), filters: Filters | None = None
               ) -> Iterator[str | Answer]:
        """Text deltas while the LLM composer writes (if one is configured), then the final ``Answer``."""
        query, retrieved = self.retrieve(question, history, filters)
        yield from self.load().composer.compose_stream(query, retrieved)

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
            "status": "ok", "documents": len(snap.documents), "chunks": snap.catalog.size,
            "embedder": snap.embedder, "regions": list(loaded.retriever.regions), "built_at": snap.manifest.get("built_at"),
            "tokenizer": snap.manifest.get("tokenizer"), "llm": self.llm_enabled,
            "auth_required": bool(self.settings.api_token),
        }

    def documents(self) -> list[dict[str, Any]]:
        snap = self.load().snapshot
        counts = snap.catalog.chunks_per_document()
        return [_describe(d.doc_id, d.info, counts.get(d.doc_id, 0))
                for d in sorted(snap.catalog.stored_documents(with_text=False), key=lambda d: d.doc_id)]

    def document(self, doc_id: str) -> dict[str, Any]:
        snap = self.load().snapshot
        doc = snap.documents.get(doc_id)
        if doc is None:
            raise NotFound(f"No document '{doc_id}'. GET /api/documents lists the ids.")
        return {**_describe(doc_id, doc.info, snap.catalog.chunks_per_document().get(doc_id, 0)), "text": doc.text}


def _describe(doc_id: str, info: Any, chunks: int) -> dict[str, Any]:
    return {"id": doc_id, "title": info.title, "region": info.region, "year": info.year, "kind": info.kind,
            "organisation": info.organisation, "period": info.period, "has_metadata": info.has_metadata,
            "chunks": chunks}
