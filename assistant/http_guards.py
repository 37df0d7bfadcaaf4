"""HTTP guards for untrusted clients, and an OpenAPI schema that says what they answer.

- :class:`BodyLimit` refuses request bodies over ``ASSISTANT_MAX_BODY_KB`` with a JSON 413, counting
  the bytes actually received (a missing or false ``Content-Length`` does not get past it);
- :func:`rate_limit` is a dependency: a per-client :class:`~assistant.ratelimit.RateLimiter` bucket that
  answers 429 with ``Retry-After`` and a message that says when to try again;
- :func:`describe` words a request validation error for a person;
- :func:`document` completes the generated schema: the error body, the bearer security scheme (when a
  token is configured) and the 401/403/413/429/503 answers of each operation.
"""

from __future__ import annotations

import ipaddress
import json
import re
from collections.abc import Callable, Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.openapi.utils import get_openapi
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from assistant.errors import RateLimited
from assistant.ratelimit import RateLimiter

ERROR = {"description": "An error: what happened and what to do", "content": {"application/json": {"schema": {
    "$ref": "#/components/schemas/Error"}}}}
ERROR_SCHEMA = {"type": "object", "required": ["error", "status"], "properties": {
    "error": {"type": "string", "description": "what happened and what to do"}, "status": {"type": "integer"}}}
RETRY_AFTER = {"Retry-After": {"description": "seconds to wait before the next request", "required": True,
                               "schema": {"type": "integer", "minimum": 1}}}
RATE_LIMITED: dict[int | str, dict[str, Any]] = {429: {**ERROR, "description": "Too many requests from this client",
                                                       "headers": RETRY_AFTER}}
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {**ERROR, "description": "No such document"}}
NO_INDEX: dict[int | str, dict[str, Any]] = {503: {**ERROR, "description": "No index yet: run `assistant index`"}}


class BodyLimit:
    """ASGI middleware: bodies of requests whose path ``applies`` may be at most ``limit`` bytes (0: no limit)."""

    def __init__(self, app: ASGIApp, limit: int, applies: Callable[[str], bool]) -> None:
        self.app, self.limit, self.applies = app, limit, applies

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not self.limit or not self.applies(scope["path"]):
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length", b"0")
        if not declared.isdigit() or int(declared) > self.limit:
            await self._refuse(scope, receive, send)
            return
        # Read the body up front (at most ``limit`` bytes) so an unannounced stream cannot get past either.
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                break
            chunks.append(message.get("body", b""))
            size += len(chunks[-1])
            if size > self.limit:
                await self._refuse(scope, receive, send)
                return
            if not message.get("more_body"):
                break
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if replayed:
                return await receive()
            replayed = True
            return {"type": "http.request", "body": b"".join(chunks), "more_body": False}

        await self.app(scope, replay, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        kb = self.limit // 1024
        message = (f"The request body is larger than {kb} kB, the limit of this server (ASSISTANT_MAX_BODY_KB). "
                   "Send a shorter question, history or comment.")
        await JSONResponse({"error": message, "status": 413}, status_code=413)(scope, receive, send)


def describe(error: Mapping[str, Any]) -> str:
    """One validation error for a person: where, what, and the offending value or size."""
    where = ".".join(str(x) for x in error["loc"][1:]) or "body"
    value, limit = error.get("input"), (error.get("ctx") or {}).get("max_length")
    if error["type"] == "json_invalid":
        return f"the body is not valid JSON ({(error.get('ctx') or {}).get('error', 'cannot be parsed')})"
    if where == "question" and error["type"] in {"string_too_short", "string_pattern_mismatch"}:
        return "the question is empty; type a question, e.g. 'Missä alueilla Omaoloa käytetään?'"
    if error["type"] in {"string_too_long", "too_long"} and limit is not None and isinstance(value, str | list):
        unit = "characters" if isinstance(value, str) else "items"
        return f"{where} has {len(value)} {unit}, over the limit of {limit}; shorten it"
    got = f" (got {value!r})" if isinstance(value, str | int | float) and len(repr(value)) <= 60 else ""
    return f"{where}: {error['msg']}{got}"


def client_of(request: Request) -> str:
    """The client's address (behind a reverse proxy, uvicorn's proxy headers set it from X-Forwarded-For)."""
    return request.client.host if request.client else "unknown"


def is_loopback(host: str) -> bool:
    """
    >>> is_loopback("127.0.0.1"), is_loopback("::1"), is_loopback("10.0.0.5"), is_loopback("testclient")
    (True, True, False, False)
    """
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def rate_limit(limiter: RateLimiter, bucket: str, what: str, *, limit_loopback: bool = True
               ) -> Callable[[Request], None]:
    """A dependency that spends one request of ``bucket`` for the calling client, or answers 429.
    With ``limit_loopback`` False, clients on this machine are not limited."""

    def check(request: Request) -> None:
        client = client_of(request)
        if not limit_loopback and is_loopback(client):
            return
        wait = limiter.take(client, bucket)
        if wait is not None:
            raise RateLimited(f"Too many {what} from your address: the limit is {limiter.per_minute} a minute "
                              f"(ASSISTANT_RATE_LIMIT). Try again in {wait} s.", wait)

    return check


ADMIN_SCHEME = "admin"  # the name require_admin's HTTPBearer declares; operations that use it are admin ones
OPENAI_ERROR = {"type": "object", "required": ["error"], "properties": {"error": {
    "type": "object", "required": ["message", "type"], "properties": {
        "message": {"type": "string"}, "type": {"type": "string"}, "code": {"type": "integer"}}}}}


def _template(path: str) -> re.Pattern[str]:
    # Path parameters may hold slashes ({doc_id:path} is declared as {doc_id}).
    return re.compile("^" + re.sub(r"\\\{[^}]+\\\}", ".+", re.escape(path)) + "$")


def allowed_methods(app: FastAPI, path: str) -> str:
    """The ``Allow`` header for ``path``: every method the schema declares for a template that matches it."""
    methods = {m.upper() for template, operations in app.openapi().get("paths", {}).items()
               if _template(template).match(path) for m in operations}
    return ", ".join(sorted(methods | ({"HEAD"} if "GET" in methods else set())))


def _error(description: str, path: str) -> dict[str, Any]:
    """An error response; the OpenAI API (/v1) also answers in OpenAI's own error format."""
    if not path.startswith("/v1/"):
        return {**ERROR, "description": description}
    schema = {"oneOf": [{"$ref": "#/components/schemas/Error"}, OPENAI_ERROR]}
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def document(app: FastAPI, *, reader_token: bool, admin_token: bool, guarded: Callable[[str], bool],
             limited: Callable[[str], bool] | None) -> None:
    """Replace ``app.openapi`` with one that also declares errors, security and limits (see module doc).

    ``guarded(path)``: the reader token guards this path; ``limited(path)``: the body limit applies to it
    (None: no body limit). Admin operations are those whose security names ``ADMIN_SCHEME``; they answer
    403 while no admin token is set.
    """

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
        components = schema.setdefault("components", {})
        components.setdefault("schemas", {})["Error"] = ERROR_SCHEMA
        schemes = components.setdefault("securitySchemes", {})
        for path, operations in schema.get("paths", {}).items():
            for operation in operations.values():
                _complete(path, operation, reader_token=reader_token, admin_token=admin_token, guarded=guarded,
                          limited=limited)
        used = {name for ops in schema.get("paths", {}).values() for op in ops.values()
                for requirement in op.get("security", []) for name in requirement}
        if "reader" in used:
            schemes["reader"] = {"type": "http", "scheme": "bearer", "description":
                                 "ASSISTANT_API_TOKEN (the admin token is accepted too)"}
        for name in set(schemes) - used:
            del schemes[name]
        if not schemes:
            del components["securitySchemes"]
        if not any("HTTPValidationError" in json.dumps(ops) for ops in schema.get("paths", {}).values()):
            for name in ("HTTPValidationError", "ValidationError"):
                components["schemas"].pop(name, None)
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


def _complete(path: str, operation: dict[str, Any], *, reader_token: bool, admin_token: bool,
              guarded: Callable[[str], bool], limited: Callable[[str], bool] | None) -> None:
    """Declare what the guards and handlers of this server answer for one operation."""
    responses = operation.setdefault("responses", {})
    default_422 = "HTTPValidationError" in json.dumps(responses.get("422", {}))
    if default_422:  # our handler answers {"error", "status"}, not FastAPI's "detail"
        responses["422"] = _error("The request is not valid", path)
    if "requestBody" in operation:
        responses.setdefault("400", _error("The request body cannot be read (not JSON in UTF-8?)", path))
        if limited is not None and limited(path):
            responses.setdefault("413", _error("The request body is too large", path))
    if "{" in path:
        responses.setdefault("404", _error("Not found", path))
    for code, response in responses.items():  # an error declared without a body has ours
        if code[0] in "45" and "content" not in response:
            response.update(_error(response.get("description") or "Error", path))
    admin = any(ADMIN_SCHEME in requirement for requirement in operation.get("security", []))
    if admin and admin_token:
        responses.setdefault("401", _error("The admin token is missing or wrong", path))
    elif admin:
        del operation["security"]  # off for everyone until ASSISTANT_ADMIN_TOKEN is set
        responses.setdefault("403", _error("Admin actions are off: ASSISTANT_ADMIN_TOKEN is unset", path))
    elif reader_token and guarded(path):
        operation["security"] = [{"reader": []}, {ADMIN_SCHEME: []}] if admin_token else [{"reader": []}]
        responses.setdefault("401", _error("The access token is missing or wrong", path))
