"""``assistant index --ray [ADDRESS]``: the same build with loading, cleaning, chunking and embedding on
Ray Data (``pip install 'sote-assistant[scale]'``).

The driver plans the build and writes the generation exactly as the local build does; only the two
expensive steps move to Ray, as stateful actor classes in ``map_batches``:

- ``_Processor`` runs ``plan.process`` per document (the file's bytes travel with the task, so workers
  need no shared filesystem); the previous index's lexicon is loaded once per actor.
- ``_Embedder`` holds the embedding model, loaded once per actor (``num_gpus`` per actor for a
  sentence-transformers model on GPUs); only texts missing from the content-hash embedding cache are
  sent, and the vectors stream back into that cache batch by batch, so a re-run embeds only what is new.

Without an address Ray starts locally; with one (``ray://host:10001`` or ``auto``) it joins a cluster.
"""

from __future__ import annotations

import logging
import os
import pickle
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from assistant.config import Settings
from assistant.embed_cache import EmbeddingCache, text_key
from assistant.embedding import Embedder
from assistant.errors import MissingDependency
from assistant.plan import Job, Processed


def _ray() -> Any:
    try:
        import ray
        import ray.data  # noqa: F401  (the Data library is the part we need)
    except ImportError as exc:
        raise MissingDependency("`--ray` needs Ray Data: pip install 'sote-assistant[scale]' "
                                "(or pip install 'ray[data]')") from exc
    return ray


class _Processor:
    """Ray actor: load, clean, split and tokenise documents (one per batch row)."""

    def __init__(self, settings: Settings, metadata: dict[str, dict[str, Any]], lexicon: dict[str, list[str]]) -> None:
        from assistant.lexical import preload

        preload(lexicon)  # words the previous index analysed are not analysed again
        self.settings, self.metadata = settings, metadata

    def __call__(self, batch: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        from assistant.plan import process

        payloads = []
        for rel, data, doc_id, content, fp in zip(batch["rel"], batch["data"], batch["doc_id"], batch["hash"],
                                                  batch["fingerprint"], strict=True):
            with tempfile.TemporaryDirectory() as tmp:
                path = Path(tmp) / str(rel)
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(bytes(data))
                done = process(Job(path, str(doc_id), str(content), str(fp)),
                               replace(self.settings, corpus_dir=Path(tmp)), self.metadata)
            payloads.append(pickle.dumps(done))
        return {"doc_id": batch["doc_id"], "payload": np.array(payloads, dtype=object)}


class _Embedder:
    """Ray actor: the embedding model, loaded once per actor."""

    def __init__(self, spec: str, device: str) -> None:
        from assistant.embedding import make_embedder

        self.embedder = make_embedder(spec, device=device)

    def __call__(self, batch: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        vectors = self.embedder.embed_passages([str(t) for t in batch["text"]])
        return {"key": batch["key"], "vector": np.asarray(vectors, dtype=np.float32)}


class RayRunner:
    """A ``Runner`` for ``build_index`` that processes and embeds on Ray Data."""

    def __init__(self, address: str | None = None, *, batch_size: int = 32, concurrency: int = 1,
                 num_gpus: float = 0.0, init_kwargs: dict[str, Any] | None = None) -> None:
        ray = _ray()
        self.batch_size, self.concurrency, self.num_gpus = batch_size, concurrency, num_gpus
        self.timings: dict[str, float] = {}  # seconds per stage and texts embedded, for the summary
        self._started = not ray.is_initialized()
        if self._started:
            kwargs: dict[str, Any] = {"include_dashboard": False, "log_to_driver": False, "logging_level": "warning"}
            if address:
                kwargs["address"] = address
            else:
                kwargs.update(init_kwargs or {})
            # Workers import this package the way the driver does.
            root = str(Path(__file__).resolve().parent.parent)
            kwargs["runtime_env"] = {"env_vars": {"PYTHONPATH": os.pathsep.join(
                filter(None, [root, os.environ.get("PYTHONPATH", "")]))}} if not address else {}
            ray.init(**kwargs)
        ctx = ray.data.DataContext.get_current()
        ctx.enable_progress_bars = False
        logging.getLogger("ray.data").setLevel(logging.WARNING)  # the summary says what happened

    def describe(self) -> str:
        t = self.timings
        if not t:
            return ""
        rate = f" ({t['embedded'] / t['embed_s']:.1f}/s)" if t.get("embed_s") and t.get("embedded") else ""
        return (f"Ray: {t.get('documents', 0):.0f} documents processed in {t.get('process_s', 0)} s, "
                f"{t.get('embedded', 0):.0f} texts embedded in {t.get('embed_s', 0)} s{rate} "
                f"with {self.concurrency} actor(s).")

    def close(self) -> None:
        if self._started:
            _ray().shutdown()

    def __enter__(self) -> RayRunner:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def process(self, jobs: list[Job], settings: Settings, metadata: dict[str, dict[str, Any]],
                quiet: bool) -> list[Processed]:
        if not jobs:
            return []
        from assistant.lexical import lexicon

        ray = _ray()
        started = time.perf_counter()
        items = [{"rel": j.path.relative_to(settings.corpus_dir).as_posix(), "data": j.path.read_bytes(),
                  "doc_id": j.doc_id, "hash": j.content_hash, "fingerprint": j.fingerprint} for j in jobs]
        ds = ray.data.from_items(items, override_num_blocks=min(len(items), 4 * self.concurrency))
        out = ds.map_batches(_Processor, batch_size=1, compute=ray.data.ActorPoolStrategy(size=self.concurrency),
                             fn_constructor_kwargs={"settings": settings, "metadata": metadata,
                                                    "lexicon": lexicon()})
        by_id = {j.doc_id: j for j in jobs}
        results = []
        for row in out.iter_rows():
            done: Processed = pickle.loads(row["payload"])
            results.append(replace(done, job=by_id[done.job.doc_id]))
        self.timings.update(documents=len(results), process_s=round(time.perf_counter() - started, 1))
        return sorted(results, key=lambda p: p.job.doc_id)

    def embed(self, cache: EmbeddingCache, embedder: Embedder, texts: list[str], quiet: bool) -> tuple[np.ndarray, int]:
        ray = _ray()
        keys = [text_key(embedder.name, t) for t in texts]
        cached = cache.get_many(keys)
        missing = {k: t for k, t in zip(keys, texts, strict=True) if k not in cached}
        started = time.perf_counter()
        if missing:
            spec = embedder.name  # make_embedder accepts an embedder's name as its spec
            ds = ray.data.from_items([{"key": k, "text": t} for k, t in missing.items()],
                                     override_num_blocks=min(len(missing), max(self.concurrency,
                                                                               min(len(missing) // self.batch_size, 64))))
            out = ds.map_batches(_Embedder, batch_size=self.batch_size,
                                 compute=ray.data.ActorPoolStrategy(size=self.concurrency),
                                 num_gpus=self.num_gpus or None,
                                 fn_constructor_kwargs={"spec": spec, "device": "cuda" if self.num_gpus else "cpu"})
            for batch in out.iter_batches(batch_size=self.batch_size, batch_format="numpy"):
                cache.put_many(dict(zip([str(k) for k in batch["key"]], batch["vector"], strict=True)))

        def unexpected(_: list[str]) -> np.ndarray:
            raise RuntimeError("a text was not embedded on Ray; run the build again")

        self.timings.update(embedded=len(missing), embed_s=round(time.perf_counter() - started, 1))
        matrix, _ = cache.embed(embedder.name, texts, unexpected)
        return matrix, len(missing)
