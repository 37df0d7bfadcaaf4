"""Hybrid retrieval over one loaded index: dense (FAISS, multilingual e5) and Finnish BM25 top-k lists
fused (``hybrid``), exact filters, a per-region fan-out, and the sentences of the index that carry the
question's topic (``evidence``).

``Retriever.retrieve(query, filters) -> Retrieved`` is the whole contract. Nothing here scores every chunk:
both legs return top-k lists (exact for small corpora, approximate dense search for large ones, see
``store``), and topic statistics come from the BM25 postings, so a question costs the same on five
documents and on a national corpus.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import numpy as np

from assistant.embedding import Embedder
from assistant.evidence import EvidenceFinder, Found
from assistant.hybrid import HybridSearch
from assistant.lexical import preload, tokenize
from assistant.question import Query, Term
from assistant.records import Chunk, Filters, Passage
from assistant.relevance import Relevance, Thresholds
from assistant.sentence_index import IndexedSentence, SentenceIndex
from assistant.snapshot import Snapshot
from assistant.topic import Topic

PASSAGES_RETURNED = 12
SEARCH_DEPTH = 100  # how far down each leg's ranking the fusion looks
REGION_DEPTH = 10  # ... and each leg's ranking within one region, for the fan-out


@dataclass(frozen=True)
class Fusion:
    """How the legs are combined. RRF on ranks; lexical weight per language (0 turns the leg off)."""

    # Measured on the dev set: BM25 over Voikko lemmas is the stronger leg for Finnish questions, so it
    # gets twice the dense weight, and a small k lets the top ranks of each leg dominate.
    rrf_k: int = 20
    lexical_weight_fi: float = 2.0
    # English/Swedish questions share no words with the documents; with the glossary's Finnish terms added
    # BM25 helps them too: dev hit@5 on non-Finnish questions 0.80 -> 0.90.
    lexical_weight_other: float = 1.0


@dataclass(frozen=True)
class Retrieved:
    """What the index holds for one query.

    ``passages``: the best chunks within the filters, best first (regions diversified when the question
    names none). ``scope``: the regions asked about. ``by_region``: each scope region's best passages.
    ``evidence``: per scope region, the sentences that carry the topic (regions without any are absent).
    ``present``: some passage in scope carries the topic; ``unseen``: topic terms no passage in scope has;
    ``elsewhere``: when the topic is absent from the regions asked about, the evidence in the other regions.
    ``similarity``: the question's cosine with a sentence (None without sentence vectors).
    """

    passages: tuple[Passage, ...]
    scope: tuple[str, ...]
    topic: Topic
    evidence: Mapping[str, list[Found]]
    by_region: Mapping[str, tuple[Passage, ...]]
    present: bool = False
    unseen: tuple[Term, ...] = ()
    elsewhere: Mapping[str, list[Found]] = field(default_factory=dict)
    similarity: Callable[[IndexedSentence], float] | None = None
    passage_of: Callable[[Chunk], Passage] | None = None

    def passage(self, chunk: Chunk) -> Passage:
        """``chunk`` as a passage of this query (with its scores, if it was scored)."""
        return self.passage_of(chunk) if self.passage_of else Passage(chunk, 0.0)

    def dense(self, sentence: IndexedSentence) -> float:
        """The question's cosine with ``sentence`` (0 without sentence vectors)."""
        return self.similarity(sentence) if self.similarity else 0.0


class Retriever:
    def __init__(self, snapshot: Snapshot, embedder: Embedder, fusion: Fusion | None = None,
                 thresholds: Thresholds | None = None,
                 embed_sentences: Callable[[list[str]], np.ndarray] | None = None) -> None:
        if snapshot.sparse is None:
            raise ValueError("this index has no BM25 postings; rebuild it with `assistant index --rebuild`")
        catalog = snapshot.catalog
        self.snapshot = snapshot
        self._embedder = embedder
        self._tokenizer = str(snapshot.manifest.get("tokenizer", "voikko"))
        preload(snapshot.lexicon)
        self.fusion = fusion or Fusion()
        self.thresholds = thresholds or Thresholds()
        self.search = HybridSearch(snapshot, depth=SEARCH_DEPTH, rrf_k=self.fusion.rrf_k)
        self.regions = tuple(sorted(catalog.regions))
        # Plan documents (by their metadata kind): what they say is planned unless they say it is done.
        self.plans = frozenset(d.doc_id for d in catalog.stored_documents(with_text=False)
                               if any(w in (d.info.kind or "").lower() for w in ("suunnitelma", "plan")))
        self.relevance = Relevance(snapshot.sparse, catalog.doc_codes, snapshot.vectors.ids, self.thresholds)
        self.sentences = SentenceIndex(catalog, embed_sentences)
        self.sentences.preload()
        self.evidence = EvidenceFinder(catalog, snapshot.sparse, self.relevance, self.sentences, self.thresholds)

    @property
    def vocabulary(self) -> Relevance:
        """The index's lemmas (``in`` works on it)."""
        return self.relevance

    def chunk(self, chunk_id: int) -> Chunk | None:
        """The chunk with this id, read from the catalog (None if the index lacks it)."""
        row = self.relevance.row_of(chunk_id)
        found = self.snapshot.catalog.chunks([row]) if row is not None else []
        return found[0].chunk if found else None

    def lexical_tokens(self, query: Query) -> list[str]:
        """What the BM25 leg searches for: the question's lemmas (with the bridge's Finnish words), plus the
        corpus lemmas derived from its predicate, because Finnish documents say with a noun what a
        question asks with a verb ("Kuka hallinnoi hanketta?" / "Hankkeen hallinnoijana toimii…")."""
        tokens = tokenize(query.lexical_text, self._tokenizer)
        derived = {d for stem in query.predicate for d in self.relevance.derivations(stem)} - set(tokens)
        return tokens + sorted(derived)

    def retrieve(self, query: Query, filters: Filters | None = None, k: int = PASSAGES_RETURNED) -> Retrieved:
        """Passages, regional groups and topic evidence for ``query`` within ``filters``."""
        filters = filters or Filters()
        if query.regions and not filters.regions:
            filters = Filters(query.regions, filters.documents, filters.years)
        scope = filters.regions or self.regions
        vector = self._embedder.embed_query(query.dense_text)
        tokens = self.lexical_tokens(query)
        weight = self.fusion.lexical_weight_fi if query.language == "fi" else self.fusion.lexical_weight_other
        hits = self.search.search(vector, tokens, k, filters, lexical_weight=weight)
        groups = self.search.by_region(vector, tokens, scope, self.thresholds.region_depth, filters,
                                       lexical_weight=weight, depth=REGION_DEPTH)
        passages = self.search.passages(hits)
        by_region = {r: tuple(self.search.passages(groups.get(r, []))) for r in scope}
        if not query.regions and not filters.regions and not query.comparative:
            passages = _diversify(passages, by_region, k)
        scored = {p.chunk.chunk_id: p for ps in (passages, *by_region.values()) for p in ps}
        topic = self.relevance.topic(query.topic, query.either)
        rows = self.evidence.candidate_rows(topic, scope, filters) if topic else None
        evidence = self.evidence.find(topic, scope, filters, self.topic_vector(query) if topic else None, rows)
        present, unseen = self.evidence.presence(topic, scope, filters, rows) if topic else (False, ())
        present = present or bool(evidence)
        others = [r for r in self.regions if r not in scope]
        elsewhere = self.evidence.find(topic, others, Filters(documents=filters.documents)) \
            if topic and not present and others else {}
        term_ids = self.snapshot.sparse.ids(tokens) if self.snapshot.sparse else []

        def passage_of(chunk: Chunk) -> Passage:
            if chunk.chunk_id in scored:
                return scored[chunk.chunk_id]
            row = self.relevance.row_of(chunk.chunk_id)
            if row is None or self.snapshot.sparse is None:
                return Passage(chunk, 0.0)
            dense = float((self.snapshot.vectors.rows(np.array([row])) @ vector)[0])
            return Passage(chunk, 0.0, dense, float(self.snapshot.sparse.score_rows(term_ids, np.array([row]))[0]))

        similarity = (lambda s: self.sentences.similarity(vector, s)) if self.sentences.has_vectors else None
        return Retrieved(tuple(passages), tuple(scope), topic, evidence, by_region, present, unseen, elsewhere,
                         similarity, passage_of)

    def topic_vector(self, query: Query) -> np.ndarray | None:
        """The topic's own embedding for dense evidence (None when that route is off or has no vectors)."""
        if self.thresholds.dense_sentence > 1.0 or not self.sentences.has_vectors or not query.topic:
            return None
        return self._embedder.embed_query(query.topic_text)


def _diversify(passages: list[Passage], by_region: Mapping[str, tuple[Passage, ...]], k: int,
               head: int = 5) -> list[Passage]:
    """Keep the top ``head`` as ranked, then make sure every region's best passage follows, so a question
    that names no region still shows where else the topic appears; then the rest."""
    out = list(passages[:head])
    seen = {p.chunk.chunk_id for p in out}
    regions = {p.chunk.region for p in out}
    extra = sorted((ps[0] for r, ps in by_region.items() if ps and r not in regions), key=lambda p: -p.score)
    for p in [*extra, *passages[head:]]:
        if p.chunk.chunk_id not in seen:
            out.append(p)
            seen.add(p.chunk.chunk_id)
    return out[:k]
