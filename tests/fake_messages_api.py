"""Scriptable loopback fake of Anthropic's Messages API (stdlib only).

Why: panelist's tests and benchmarks must exercise the *real* ``anthropic`` SDK (retries,
error mapping, rate-limit headers, batches, streaming) without network access or cost. This
serves the wire format the SDK expects on 127.0.0.1 and lets callers script per-persona
failures (HTTP errors, malformed bodies, socket resets, hangs).

Contract mode (the default for ``claude-*`` model ids) keeps what the docs say current Claude
models do, rule by rule, in ``claude_contract``: 400 for sampling parameters, thinking budgets,
``thinking: disabled`` and prefill where the model rejects them, and for schema keywords
structured outputs do not support; adaptive thinking before the text, counted in
``max_tokens`` and ``usage.output_tokens``, scaled by ``output_config.effort``; a prompt-cache
entry that is readable only once the first response with that prefix has begun
(https://platform.claude.com/docs/en/build-with-claude/prompt-caching, as the issue quotes it;
a translated copy of that page reads "caches the prefix when the response begins"), only for a
prefix at or above the model's minimum,
with 5-minute and 1-hour writes split in ``usage.cache_creation``. Lenient mode (any other model
id, or ``contract=False``) accepts what servers that are not Claude accept. Plain module, no
pytest: benchmarks import it.

Servers that are not Claude, as observed against llama-server built from llama.cpp vendored in
llama-cpp-python 0.3.36 (``llama-server --version``: 0.5.0-dev, commit 0c1e570) with the bundled
SmolLM2-135M-Instruct.Q4_1.gguf on 2026-11-26: its /v1/messages accepts ``temperature``,
``system`` blocks with ``cache_control`` and ``output_config``, but drops ``output_config``
(only temperature, top_p, top_k, stream and chat_template_kwargs pass its Anthropic -> OpenAI
conversion), so nothing constrains the answer; the model wrote prose with no JSON object, some
answers to the 1,024-token cap (``stop_reason: max_tokens``), some stopping early. The answer's
``model`` is the GGUF file name whatever the request asked for, and ``usage`` has only
input, output and ``cache_read_input_tokens``. ``structured_output="dropped"`` with
``served_model`` mimics that; ``honor_structured_output=False`` is a model that follows the
JSON instruction in prose instead.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import math
import re
import socket
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

try:  # tests/ on sys.path (conftest, benchmarks), else imported as the ``tests`` package
    from claude_contract import Contract, contract_for, request_problem, thinking_tokens
    from fake_http import Handler, Server, error_envelope
except ImportError:  # pragma: no cover
    from tests.claude_contract import (  # type: ignore[no-redef]
        Contract,
        contract_for,
        request_problem,
        thinking_tokens,
    )
    from tests.fake_http import Handler, Server, error_envelope  # type: ignore[no-redef]

__all__ = ["FakeMessagesAPI", "Fault"]

PERSONA_RE = re.compile(r'persona id="([^"]+)"')
# The kind of prose SmolLM2-135M wrote through llama-server when nothing held it to the schema
PROSE = ("The Tether QVAC SDK is a platform for building local AI applications, and as a "
         "developer I would like to see more examples of how it works in practice. ")
Json = dict[str, Any]


@dataclass
class Fault:
    """One scripted reply, consumed in FIFO order for the persona it is scripted for."""

    kind: Literal["status", "raw", "take", "reset", "hang"]
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: str | dict[str, Any] | None = None  # for "status"/"raw"
    text: str | None = None  # for "take": assistant text returned verbatim
    stop_reason: str = "end_turn"  # for "take"
    delay: float = 0.0  # seconds before answering ("hang": the hang length, default 30 s)


def _iso(epoch: float) -> str:
    """RFC 3339 UTC timestamp, as the real API emits."""
    return datetime.fromtimestamp(epoch, UTC).isoformat().replace("+00:00", "Z")


def _texts(content: Any) -> list[str]:
    """Text of a string-or-blocks content value (non-text blocks are ignored)."""
    if isinstance(content, str):
        return [content]
    if isinstance(content, list):
        return [str(b["text"]) for b in content if isinstance(b, dict) and "text" in b]
    return []


def _messages_text(params: Json) -> str:
    msgs = [m for m in params.get("messages") or [] if isinstance(m, dict)]
    return "\n".join(t for m in msgs for t in _texts(m.get("content")))


def _input_tokens(params: Json) -> int:
    return (len("".join(_texts(params.get("system")))) + len(_messages_text(params))) // 4


def persona_of(params: Json | None) -> str | None:
    """Persona id found in the messages' text (``persona id="..."``), None if absent."""
    m = PERSONA_RE.search(_messages_text(params or {}))
    return m.group(1) if m else None


def _cached_prefix(system: Any) -> tuple[str, str]:
    """System text up to and including the last block that carries ``cache_control``, and
    that block's TTL ("5m" unless it says "1h")."""
    if not isinstance(system, list):
        return "", "5m"
    marks = [i for i, b in enumerate(system) if isinstance(b, dict) and b.get("cache_control")]
    if not marks:
        return "", "5m"
    ttl = str(system[marks[-1]]["cache_control"].get("ttl") or "5m")
    return "".join(_texts(system[: marks[-1] + 1])), ttl


def prompt_text(body: Json) -> str:
    """A request's system prompt and messages as one text, as the model would read them."""
    return "\n".join([*_texts(body.get("system")), _messages_text(body)])


def default_take(persona: str, prompt: str = "") -> Json:
    """Deterministic, plausible reviewer take; the verdict is derived from a persona hash. It
    names the product and its tagline (read off ``prompt``), so the quality gate sees a take
    about this product rather than filler."""
    verdict = "ship" if hashlib.sha256(persona.encode()).digest()[0] % 2 == 0 else "skip"
    name = re.search(r"^Product: (.+)$", prompt, re.MULTILINE)
    tagline = re.search(r"^Tagline: (.+)$", prompt, re.MULTILINE)
    about = (f" of {name.group(1).strip()} ({tagline.group(1).strip().rstrip('.')})"
             if name and tagline else "")
    quote = (
        f"Speaking as {persona}, I read the whole proposal{about} twice before forming a view. "
        "The core "
        "idea is sound and the scope feels honest, but I kept looking for evidence that real "
        f"users asked for this. On balance my verdict is {verdict}: the risks are manageable, the "
        "rollout plan is reversible, and the team has shipped similar work before. I would still "
        "want clearer success metrics, a named owner for follow-up, and a short note on what we "
        "will stop doing to make room."
    )
    reasons = [f"{persona} weighed user value against delivery risk",
               "the plan is reversible but its success metrics are vague"]
    return {"verdict": verdict, "quote": quote, "reasons": reasons}


class FakeMessagesAPI:
    """Threaded HTTP/1.1 fake of /v1/messages, /v1/messages/count_tokens and Message Batches.

    ``requests`` / ``responses`` record traffic so tests can assert on retries, pacing and
    caching; ``requests[i]["time"]`` is ``time.monotonic()`` (meant for measuring spacing).
    """

    def __init__(
        self, *, latency: float = 0.0, rpm_limit: int | None = None, window: float = 60.0,
        honor_structured_output: bool = True, cache_tokens: bool = True,
        take_factory: Callable[[str, Json], Json] | None = None,
        batch_delay: float | None = 0.0,
        contract: bool = True, time_to_first_token: float = 0.05,
        thinking: dict[str, int] | None = None, api_key: str | None = None,
        batches: bool = True, structured_output: Literal["kept", "dropped"] = "kept",
        served_model: str | None = None,
    ) -> None:
        # "dropped": output_config is ignored and the model writes prose with no JSON object
        # to the token cap, as llama-server's /v1/messages with SmolLM2 did (module docstring)
        self.structured_output = structured_output
        self.served_model = served_model  # the answer's ``model``, whatever the request said
        self.thinking = thinking  # thinking tokens per effort, instead of claude_contract's
        self.api_key = api_key  # when set, any other x-api-key gets 401 authentication_error
        self.batches_enabled = batches  # False: no Batches API, as on servers that are not Claude
        self.contract = contract  # False: every model id gets the lenient mode
        self.time_to_first_token = time_to_first_token  # when message_start is sent
        self.latency, self.rpm_limit, self.window = latency, rpm_limit, window
        self.honor_structured_output, self.cache_tokens = honor_structured_output, cache_tokens
        self.take_factory, self.batch_delay = take_factory, batch_delay
        self.requests: list[Json] = []
        self.responses: list[int] = []
        self.usages: list[Json] = []  # the usage of every message answered, in order
        self.batches: dict[str, Json] = {}  # id -> {"created", "requests", "results"}
        self._faults: dict[str | None, deque[Fault]] = {}
        self._cache: dict[tuple[str, str], float] = {}  # (model, prefix) -> readable from
        self._accepted: deque[float] = deque()
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._conns: set[socket.socket] = set()
        self._server: Server | None = None
        self._thread: threading.Thread | None = None
        self._port = 0

    # ---- lifecycle ----------------------------------------------------------------------------
    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._port}"

    def start(self) -> FakeMessagesAPI:
        """Serve from a daemon thread; a restart reuses the old port if free (batch results_url)."""
        handler = type("_BoundHandler", (Handler,), {"fake": self})
        try:
            server = Server(("127.0.0.1", self._port), handler)
        except OSError:
            server = Server(("127.0.0.1", 0), handler)
        self._server, self._port = server, server.server_address[1]
        self._stopping.clear()
        self._thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True,
                                        name=f"fake-anthropic:{self._port}")
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop listening, wake hanging handlers and drop kept-alive client connections."""
        self._stopping.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        with self._lock:
            conns, self._conns = list(self._conns), set()
        for c in conns:
            with contextlib.suppress(OSError):
                c.shutdown(socket.SHUT_RDWR)
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> FakeMessagesAPI:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ---- scripting & stats ----------------------------------------------------------------------
    def script(self, persona_id: str, *faults: Fault) -> None:
        """Queue replies for a persona; once exhausted it gets normal valid replies."""
        with self._lock:
            self._faults.setdefault(persona_id, deque()).extend(faults)

    def end_batches(self) -> None:
        """Every batch submitted so far (and later) has ended: for ``batch_delay=None``."""
        self.batch_delay = 0.0

    def cache_writes(self) -> int:
        """How many answered requests wrote a cache entry."""
        return sum(1 for usage in self.usages if usage.get("cache_creation_input_tokens"))

    def count(self, status: int) -> int:
        """How many answered requests got ``status``."""
        return sum(1 for s in self.responses if s == status)

    def _pop_fault(self, persona: str | None) -> Fault | None:
        with self._lock:
            q = self._faults.get(persona)
            return q.popleft() if q else None

    def _wait(self, seconds: float) -> bool:
        """Sleep, interruptible by stop(); True means the server is stopping."""
        return self._stopping.wait(seconds) if seconds > 0 else self._stopping.is_set()

    # ---- response builders --------------------------------------------------------------------
    def contract_of(self, params: Json) -> Contract | None:
        return contract_for(str(params.get("model", ""))) if self.contract else None

    def _cache_usage(self, params: Json, arrived: float) -> Json:
        """Cache tokens for a request arriving at ``arrived``: it reads an entry that became
        readable before it came, else writes one (readable once its own response begins)."""
        prefix, ttl = _cached_prefix(params.get("system")) if self.cache_tokens else ("", "5m")
        contract = self.contract_of(params)
        tokens = len(prefix) // 4
        if not prefix or (contract is not None and tokens < contract.min_cacheable_tokens):
            return {"created": 0, "read": 0, "ttl": ttl}
        key = (str(params.get("model", "")), prefix)
        with self._lock:
            readable_from = self._cache.get(key)
            if readable_from is not None and readable_from <= arrived:
                return {"created": 0, "read": tokens, "ttl": ttl}
            begins = arrived + min(self.time_to_first_token, self.latency)
            self._cache[key] = min(readable_from or begins, begins)
        return {"created": tokens, "read": 0, "ttl": ttl}

    def _usage(self, params: Json, cache: Json, output_tokens: int, thinking: int,
               tier: str) -> Json:
        created, read = cache["created"], cache["read"]
        one_hour = created if cache["ttl"] == "1h" else 0
        usage = {"input_tokens": max(_input_tokens(params) - created - read, 0),
                 "output_tokens": output_tokens, "cache_creation_input_tokens": created,
                 "cache_read_input_tokens": read, "service_tier": tier,
                 "cache_creation": {"ephemeral_5m_input_tokens": created - one_hour,
                                    "ephemeral_1h_input_tokens": one_hour},
                 "output_tokens_details": {"thinking_tokens": thinking}}
        with self._lock:
            self.usages.append(usage)
        return usage

    def _message(self, persona: str | None, params: Json, *, text: str | None = None,
                 stop_reason: str = "end_turn", tier: str = "standard",
                 arrived: float | None = None) -> Json:
        """A Messages API ``Message``: thinking (contract mode) before the text, which is by
        default the JSON-encoded take; ``max_tokens`` cuts thinking first, then the text."""
        if text is None:
            pid = persona or ""
            factory = self.take_factory or (
                lambda p, body: default_take(p or "anonymous", prompt_text(body)))
            take = factory(pid, params)
            text = json.dumps(take)
            if not self.honor_structured_output:  # servers that ignore output_config.format
                pretty = json.dumps(take, indent=2)
                text = f"Here is my take:\n```json\n{pretty}\n```\nHope that helps."
            if self.structured_output == "dropped":  # and a model that ignores the instruction
                text = PROSE * (int(params.get("max_tokens") or 4096) // len(PROSE) * 4 + 1)
        contract = self.contract_of(params)
        budget = int(params.get("max_tokens") or 4096)
        thinking = min(thinking_tokens(contract, params, self.thinking), budget) \
            if contract else 0
        content: list[Json] = []
        if thinking:  # display "omitted": empty text, a signature for multi-turn continuity
            content.append({"type": "thinking", "thinking": "",
                            "signature": hashlib.sha256(text.encode()).hexdigest()[:32]})
        room = budget - thinking
        text_tokens = max(len(text) // 4, 1)
        if text_tokens > room:
            text, text_tokens, stop_reason = text[: room * 4], room, "max_tokens"
        elif stop_reason == "max_tokens":  # scripted: a cut-off answer used the whole budget
            text_tokens = room
        if text:
            content.append({"type": "text", "text": text})
        cache = self._cache_usage(params, time.monotonic() if arrived is None else arrived)
        return {"id": f"msg_{uuid.uuid4().hex[:24]}", "type": "message", "role": "assistant",
                "model": self.served_model or params.get("model", "claude-fake"),
                "content": content,
                "stop_reason": stop_reason, "stop_sequence": None,
                "usage": self._usage(params, cache, thinking + text_tokens, thinking, tier)}

    def _admit(self) -> tuple[bool, dict[str, str]]:
        """Sliding-window request limiter: (accepted?, anthropic-ratelimit-* headers)."""
        if self.rpm_limit is None:
            return True, {}
        now = time.monotonic()
        with self._lock:
            while self._accepted and self._accepted[0] <= now - self.window:
                self._accepted.popleft()
            ok = len(self._accepted) < self.rpm_limit
            if ok:
                self._accepted.append(now)
            frees_in = self._accepted[0] + self.window - now if self._accepted else self.window
            remaining = self.rpm_limit - len(self._accepted)
        headers = {"anthropic-ratelimit-requests-limit": str(self.rpm_limit),
                   "anthropic-ratelimit-requests-remaining": str(remaining),
                   "anthropic-ratelimit-requests-reset": _iso(time.time() + frees_in)}
        if not ok:
            headers["retry-after"] = str(max(1, math.ceil(frees_in)))
        return ok, headers

    def _batch_object(self, batch_id: str) -> Json:
        b = self.batches[batch_id]
        created, n = b["created"], len(b["results"])
        # None: processing until the test calls ``end_batches``
        ended = self.batch_delay is not None and time.time() >= created + self.batch_delay
        counts = dict.fromkeys(("processing", "succeeded", "errored", "canceled", "expired"), 0)
        if ended:
            for line in b["results"]:
                counts[line["result"]["type"]] += 1
        else:
            counts["processing"] = n
        url = f"{self.base_url}/v1/messages/batches/{batch_id}/results"
        return {"id": batch_id, "type": "message_batch", "request_counts": counts,
                "processing_status": "ended" if ended else "in_progress",
                "created_at": _iso(created), "expires_at": _iso(created + 86400),
                "ended_at": _iso(created + (self.batch_delay or 0.0)) if ended else None,
                "cancel_initiated_at": None, "archived_at": None,
                "results_url": url if ended else None}

    def _batch_result(self, params: Json, arrived: float) -> Json:
        """Outcome of one batch entry; per-persona faults are consumed when the batch is created."""
        persona = persona_of(params)
        contract = self.contract_of(params)
        if contract is not None and (problem := request_problem(contract, params)):
            return {"type": "errored", "error": error_envelope(400, problem)}
        f = self._pop_fault(persona)
        if f is None or f.kind == "hang":
            return {"type": "succeeded",
                    "message": self._message(persona, params, tier="batch", arrived=arrived)}
        if f.kind == "take":
            msg = self._message(persona, params, text=f.text or "", stop_reason=f.stop_reason,
                                tier="batch", arrived=arrived)
            return {"type": "succeeded", "message": msg}
        if f.kind == "status" and f.status == 0:
            return {"type": "expired"}
        if f.kind == "status" and isinstance(f.body, dict) and f.body.get("type") == "error":
            return {"type": "errored", "error": f.body}
        return {"type": "errored", "error": error_envelope(f.status if f.kind == "status" else 500)}

    # ---- request dispatch -----------------------------------------------------------------------
    def _handle(self, h: Handler) -> None:
        raw, method = h.read_body(), h.command
        try:
            payload = json.loads(raw) if raw else None
        except ValueError:
            payload = None
        path = h.path.split("?", 1)[0].rstrip("/")
        is_obj = isinstance(payload, dict)
        obj: Json = payload if isinstance(payload, dict) else {}
        persona = persona_of(obj) if path == "/v1/messages" and is_obj else None
        headers = {k.lower(): v for k, v in h.headers.items()}
        with self._lock:
            self.requests.append({"path": path, "headers": headers, "json": payload,
                                  "persona": persona, "time": time.monotonic()})
        if self.api_key is not None and headers.get("x-api-key") != self.api_key:
            return h.send_json(401, error_envelope(401, "invalid x-api-key"))
        if not self.batches_enabled and path.startswith("/v1/messages/batches"):
            return h.send_json(404, error_envelope(404, f"{method} {path} not found"))
        posts = ("/v1/messages", "/v1/messages/count_tokens", "/v1/messages/batches")
        if method == "POST" and path in posts and not is_obj:
            return h.send_json(400, error_envelope(400, "request body must be a JSON object"))
        if method == "POST" and path == "/v1/messages":
            return self._handle_messages(h, obj, persona)
        if method == "POST" and path == "/v1/messages/count_tokens":
            return h.send_json(200, {"input_tokens": _input_tokens(obj)})
        if method == "POST" and path == "/v1/messages/batches":
            batch_id = f"msgbatch_{uuid.uuid4().hex[:24]}"
            entries = obj.get("requests") or []
            t0 = time.monotonic()
            results = [{"custom_id": e.get("custom_id"),
                        "result": self._batch_result(e.get("params") or {}, t0 + i)}
                       for i, e in enumerate(entries)]
            with self._lock:
                self.batches[batch_id] = {"created": time.time(), "requests": entries,
                                          "results": results}
            return h.send_json(200, self._batch_object(batch_id))
        parts = path.split("/")  # ["", "v1", "messages", "batches", id, ("results")]
        if method == "GET" and parts[:4] == ["", "v1", "messages", "batches"] \
                and len(parts) in (5, 6) and parts[4] in self.batches:
            batch = self._batch_object(parts[4])
            if len(parts) == 5:
                return h.send_json(200, batch)
            if parts[5] == "results" and batch["processing_status"] == "ended":
                lines = self.batches[parts[4]]["results"]
                body = "".join(json.dumps(line) + "\n" for line in lines)
                return h.send(200, body.encode(), {"content-type": "application/binary"})
        h.send_json(404, error_envelope(404, f"{method} {path} not found"))

    def _handle_messages(self, h: Handler, params: Json, persona: str | None) -> None:
        arrived = time.monotonic()
        ok, rl_headers = self._admit()
        if not ok:
            body = error_envelope(429, "Number of requests has exceeded your rate limit")
            return h.send_json(429, body, rl_headers)
        contract = self.contract_of(params)
        if contract is not None and (problem := request_problem(contract, params)):
            return h.send_json(400, error_envelope(400, problem))
        f = self._pop_fault(persona)
        if f is None:
            return self._answer(h, params, persona, arrived, rl_headers)
        if self._wait((f.delay or 30.0) if f.kind == "hang" else f.delay):
            return h.drop()
        if f.kind == "status":
            return h.send_body(f.status, error_envelope(f.status) if f.body is None else f.body,
                               f.headers)
        if f.kind == "raw":
            return h.send_body(f.status, f.body or "", f.headers)
        if f.kind == "take":
            msg = self._message(persona, params, text=f.text or "", stop_reason=f.stop_reason,
                                arrived=arrived)
            return self._reply(h, params, msg, {**rl_headers, **f.headers}, latency=0.0)
        if f.kind == "reset":
            return h.drop(reset=True)
        msg = self._message(persona, params, arrived=arrived)  # "hang": late but normal
        self._reply(h, params, msg, rl_headers, latency=0.0)

    def _answer(self, h: Handler, params: Json, persona: str | None, arrived: float,
                headers: dict[str, str]) -> None:
        self._reply(h, params, self._message(persona, params, arrived=arrived), headers,
                    latency=self.latency)

    def _reply(self, h: Handler, params: Json, message: Json, headers: dict[str, str], *,
               latency: float) -> None:
        """The message after ``latency``; streamed (server-sent events) when asked, with
        ``message_start`` after ``time_to_first_token`` and the rest at ``latency``."""
        if not params.get("stream"):
            if self._wait(latency):
                return h.drop()
            return h.send_json(200, message, headers)
        first_token = min(self.time_to_first_token, latency)
        if self._wait(first_token):
            return h.drop()
        h.start_events(headers)
        usage = message["usage"]
        start = {**message, "content": [], "stop_reason": None,
                 "usage": {**usage, "output_tokens": 1}}
        h.send_event("message_start", {"type": "message_start", "message": start})
        if self._wait(latency - first_token):
            return h.drop()
        for index, block in enumerate(message["content"]):
            empty = {"type": "text", "text": ""} if block["type"] == "text" else \
                {"type": "thinking", "thinking": "", "signature": ""}
            h.send_event("content_block_start", {"type": "content_block_start", "index": index,
                                                 "content_block": empty})
            delta = {"type": "text_delta", "text": block["text"]} if block["type"] == "text" \
                else {"type": "signature_delta", "signature": block["signature"]}
            h.send_event("content_block_delta", {"type": "content_block_delta", "index": index,
                                                 "delta": delta})
            h.send_event("content_block_stop", {"type": "content_block_stop", "index": index})
        h.send_event("message_delta", {
            "type": "message_delta",
            "delta": {"stop_reason": message["stop_reason"], "stop_sequence": None},
            "usage": {"output_tokens": usage["output_tokens"],
                      "output_tokens_details": usage["output_tokens_details"]}})
        h.send_event("message_stop", {"type": "message_stop"})
        h.end_events()
