"""``assistant serve --workers 2``: two worker processes answer on one port and map the same index files
(one copy in the page cache, shared), with the real default embedder on the small corpus."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from assistant.config import Settings
from assistant.indexer import build_index

REPO = Path(__file__).resolve().parent.parent


def _children(pid: int) -> list[int]:
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            out.append(int(stat.parent.name))
    return out


def _maps(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/maps").read_text()
    except OSError:
        return ""


def test_workers_share_the_memory_mapped_index(small_corpus, tmp_path):
    settings = Settings(corpus_dir=small_corpus, index_dir=tmp_path / "index", chunk_size=300, chunk_overlap=50)
    build_index(settings, quiet=True)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "PYTHONPATH": str(REPO), "ASSISTANT_EMBED_THREADS": "1",
           "ASSISTANT_DATA_DIR": str(tmp_path / "data"), "ASSISTANT_CHUNK_SIZE": "300"}
    server = subprocess.Popen([sys.executable, "-m", "assistant", "serve", "--index", str(settings.index_dir),
                               "--corpus", str(small_corpus), "--no-index", "--workers", "2", "--port", str(port)],
                              env=env, stderr=subprocess.DEVNULL)
    try:
        deadline = time.time() + 120
        mapping = []
        while time.time() < deadline:
            live = (settings.index_dir / "current").resolve()
            mapping = [p for p in _children(server.pid) if str(live / "vectors.faiss") in _maps(p)]
            if len(mapping) == 2:
                break
            time.sleep(0.5)
        assert len(mapping) == 2, f"worker processes mapping {live}/vectors.faiss: {mapping}"
        # The BM25 postings are mapped too, not read into each worker's heap.
        assert all(str(live / "bm25" / "impacts.npy") in _maps(p) for p in mapping)
        while time.time() < deadline:  # workers start listening once their lifespan has loaded the index
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health", timeout=10) as r:
                    assert json.loads(r.read())["chunks"] > 0
                break
            except OSError:
                time.sleep(0.5)
        body = json.dumps({"question": "Milloin Kokkolan yöpartio aloitti?"}).encode()
        for _ in range(4):
            req = urllib.request.Request(f"http://127.0.0.1:{port}/api/ask", body, {"Content-Type": "application/json"})
            with urllib.request.urlopen(req, timeout=60) as r:
                answer = json.loads(r.read())
            assert answer["citations"][0]["region"] == "Keski-Pohjanmaa"
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
