"""An MCP stdio server over a small index built with the fake embedder (which a subprocess cannot get
from settings), for the fast stdio test: ``python -m tests.mcp_fake_server CORPUS INDEX``."""

from __future__ import annotations

import sys
from pathlib import Path

from assistant.config import Settings
from assistant.mcp_server import build_server
from assistant.service import Assistant
from tests.conftest import FakeEmbedder
from tests.test_api import FAKE_THRESHOLDS

if __name__ == "__main__":
    corpus, index = Path(sys.argv[1]), Path(sys.argv[2])
    settings = Settings(corpus_dir=corpus, index_dir=index, embedder=FakeEmbedder.name)
    assistant = Assistant(settings, FakeEmbedder(), FAKE_THRESHOLDS)
    build_server(lambda: assistant).run("stdio")
