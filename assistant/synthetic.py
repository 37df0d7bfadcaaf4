"""A synthetic national corpus for measurement: N chunks over all 21 wellbeing services counties,
made from a real index's sentences and embeddings, so nothing needs embedding.

Each synthetic chunk takes one real chunk's sentences in a shuffled order plus one sentence of another
real chunk; its vector mixes the two real vectors (0.85 / 0.15) with a little Gaussian noise and is
re-normalised. Chunks are grouped into documents (~400 chunks each) that are assigned round-robin to
the 21 counties (and Helsinki) and to the years 2019-2025. The texts are real Finnish sentences, so BM25, relevance
and the extractive composer do their normal work on them.
"""

from __future__ import annotations

import re
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

from assistant.catalog import StoredChunk, StoredDocument
from assistant.chunking import chunk_id
from assistant.lexical import preload, tokenize
from assistant.records import Chunk, SourceInfo
from assistant.regions import REGIONS
from assistant.snapshot import Snapshot, new_generation, publish, write_generation
from assistant.store import AnnConfig, VectorStore

CHUNKS_PER_DOCUMENT = 400
YEARS = tuple(range(2019, 2026))
MIX, NOISE = 0.15, 0.1  # share of the second chunk's vector; norm of the added noise
_SENTENCE = re.compile(r"(?<=[.!?:])\s+")


def _slug(name: str) -> str:
    return name.lower().replace("ä", "a").replace("ö", "o").replace("å", "a").replace(" ", "-")


def _sentences(source: Snapshot) -> tuple[list[list[str]], list[list[tuple[str, ...]]], list[tuple[str, ...]]]:
    """Per real chunk: its sentences, their tokens, and its heading's tokens."""
    preload(source.lexicon)
    texts, tokens, headings = [], [], []
    for sc in source.chunks:
        parts = [s for s in _SENTENCE.split(sc.chunk.text) if s.strip()] or [sc.chunk.text]
        texts.append(parts)
        tokens.append([tuple(tokenize(s)) for s in parts])
        headings.append(tuple(tokenize(sc.chunk.heading)) if sc.chunk.heading else ())
    return texts, tokens, headings


def build_synthetic(source: Snapshot, n: int, index_dir: Path, seed: int = 0,
                    ann: AnnConfig | None = None) -> dict[str, float]:
    """Write an index of ``n`` synthetic chunks into ``index_dir`` (published as ``current``); returns
    the seconds spent generating and writing."""
    started = time.perf_counter()
    rng = np.random.default_rng(seed)
    real = source.chunks
    base_vectors = source.vectors.rows(np.arange(len(real)))
    texts, tokens, headings = _sentences(source)
    dim = base_vectors.shape[1]
    store = VectorStore(dim)
    documents: list[tuple[StoredDocument, int, int]] = []  # without text; filled in as the catalog is written
    chunks: list[StoredChunk] = []
    n_docs = max(len(REGIONS), -(-n // CHUNKS_PER_DOCUMENT))
    sizes = np.full(n_docs, n // n_docs)
    sizes[: n % n_docs] += 1
    names = sorted((f"synthetic/{_slug(REGIONS[j % len(REGIONS)].name)}-{YEARS[j % len(YEARS)]}-{j:05d}", j)
                   for j in range(n_docs))
    for doc_id, j in names:
        region, year = REGIONS[j % len(REGIONS)].name, YEARS[j % len(YEARS)]
        title = f"{region}: synteettinen raportti {year} ({j})"
        size = int(sizes[j])
        first, second = rng.integers(0, len(real), size), rng.integers(0, len(real), size)
        mixed = (1 - MIX) * base_vectors[first] + MIX * base_vectors[second]
        mixed += rng.normal(scale=NOISE / np.sqrt(dim), size=mixed.shape).astype(np.float32)
        mixed /= np.linalg.norm(mixed, axis=1, keepdims=True)
        offset, ids, first_chunk = 0, [], len(chunks)
        for b, c in zip(first.tolist(), second.tolist(), strict=True):
            order = rng.permutation(len(texts[b])).tolist()
            extra = int(rng.integers(0, len(texts[c])))
            text = " ".join([texts[b][i] for i in order] + [texts[c][extra]])
            toks = headings[b] + tuple(t for i in order for t in tokens[b][i]) + tokens[c][extra]
            cid = chunk_id(doc_id, offset, text)
            ids.append(cid)
            chunks.append(StoredChunk(Chunk(cid, doc_id, region, title, real[b].chunk.heading, text, offset,
                                            offset + len(text), None, None, year), toks))
            offset += len(text) + 2
        store.add(ids, mixed.astype(np.float32))
        info = SourceInfo(region=region, title=title, organisation=f"{region} (synteettinen)", year=year,
                          kind="synteettinen")
        documents.append((StoredDocument(doc_id, f"{doc_id}.txt", "", info, "", ()), first_chunk, len(chunks)))
    generated = time.perf_counter() - started
    building = new_generation(index_dir)
    texts_of = (replace(d, text="\n\n".join(sc.chunk.text for sc in chunks[lo:hi])) for d, lo, hi in documents)
    write_generation(building, texts_of, chunks, store, {
        "embedder": source.embedder, "dim": dim, "tokenizer": source.manifest.get("tokenizer"),
        "chunk_size": source.manifest.get("chunk_size"), "chunk_overlap": source.manifest.get("chunk_overlap"),
        "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "synthetic": {"chunks": n, "seed": seed},
        "documents": {d.doc_id: {"file": d.file_name, "fingerprint": "", "region": d.info.region,
                                 "title": d.info.title, "chunks": hi - lo} for d, lo, hi in documents},
        "skipped": [],
    }, source.lexicon, ann)
    publish(index_dir, building)
    return {"generate_s": round(generated, 1), "build_s": round(time.perf_counter() - started, 1)}
