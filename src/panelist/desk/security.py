"""The desk's guard: it is a web server on an editor's laptop, so every request proves itself.

- Host: only the bound address (and, on loopback, its other loopback names) is served, so a
  page on another site cannot reach the desk through DNS rebinding.
- Token: ``Authorization: Bearer TOKEN``, or the session cookie that the first visit's
  ``?token=TOKEN`` is exchanged for (HttpOnly, SameSite=Strict), on every request. The cookie
  is named for the port (browsers send cookies to every port of a host, so two desks must not
  share a name) and holds a random session id the desk maps to the session, never the token:
  a leaked cookie is worth one desk session, not the token.
- Body: at most ``MAX_BODY_BYTES``, counted as the body arrives whatever the headers say
  (a chunked body has no Content-Length; a Content-Length may lie): 413, and the app never
  sees a byte of it, so nothing is written.
- Origin: a write (any method but GET/HEAD/OPTIONS) from another origin is refused.
- Headers: a strict Content-Security-Policy (scripts and styles only from the desk itself, no
  inline script), no framing by other sites, no referrer to other sites, no caching, no MIME
  sniffing.
"""

from __future__ import annotations

import contextlib
import json
import secrets
import socket
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass, field
from http.cookies import CookieError, SimpleCookie
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

COOKIE_PREFIX = "panelist_desk_"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")
MAX_BODY_BYTES = 1_000_000
MAX_SESSIONS = 256
PAGE_CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            "connect-src 'self'; frame-src 'self'; form-action 'self'; base-uri 'none'; "
            "frame-ancestors 'none'")
# The published-page preview keeps its own inline CSS (it is the page publish writes), runs no
# script at all, and may only be framed by the desk.
PREVIEW_CSP = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; "
               "form-action 'none'; frame-ancestors 'self'")
PREVIEW_PREFIX = "/preview"
PUBLISHED_PREFIX = "/preview/site"  # a published page, under the preview's policy


def new_token() -> str:
    return secrets.token_urlsafe(32)


def is_loopback(host: str) -> bool:
    return host in ("127.0.0.1", "localhost", "::1") or host.startswith("127.")


def is_wildcard(host: str) -> bool:
    return host in ("0.0.0.0", "::", "")


def machine_names() -> tuple[str, ...]:
    """This machine's name and addresses: the Host a wildcard-bound desk is reached by."""
    name = socket.gethostname()
    try:
        _, aliases, addresses = socket.gethostbyname_ex(name)
    except OSError:
        aliases, addresses = [], []
    return (name, *aliases, *addresses)


@dataclass(frozen=True)
class Guard:
    token: str
    host: str  # the address the server is bound to
    port: int
    # session ids, oldest first (a dict keeps insertion order)
    sessions: dict[str, None] = field(default_factory=dict, compare=False, repr=False)

    @property
    def cookie_name(self) -> str:
        return f"{COOKIE_PREFIX}{self.port}"

    def new_session(self) -> str:
        """A session id for a browser that showed the token; the cookie carries this."""
        session = secrets.token_urlsafe(32)
        if len(self.sessions) >= MAX_SESSIONS:  # bounded: the oldest browser signs in again
            del self.sessions[next(iter(self.sessions))]
        self.sessions[session] = None
        return session

    def session_matches(self, offered: str | None) -> bool:
        return offered is not None and any(
            secrets.compare_digest(offered.encode(), known.encode())
            for known in list(self.sessions))

    def allowed_hosts(self) -> frozenset[str]:
        names: tuple[str, ...] = ()
        if is_loopback(self.host):
            names = LOOPBACK_NAMES
        elif is_wildcard(self.host):
            names = (*LOOPBACK_NAMES, *machine_names())
        shown = f"[{self.host}]" if ":" in self.host else self.host
        return frozenset(f"{name.lower()}:{self.port}" for name in (shown, *names))

    def token_matches(self, offered: str | None) -> bool:
        return offered is not None and secrets.compare_digest(offered.encode(),
                                                               self.token.encode())


class GuardMiddleware:
    """Checks Host, then the token, then Origin for writes; adds the security headers."""

    def __init__(self, app: ASGIApp, guard: Guard) -> None:
        self.app = app
        self.guard = guard

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1")
                   for k, v in scope.get("headers", [])}
        path: str = scope.get("path", "/")
        refusal = self.refusal(scope, headers)
        if refusal is not None:
            status, message = refusal
            await _plain_response(send, status, message, path, self._headers(path))
            return
        query = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1")))
        if "token" in query and scope["method"] in SAFE_METHODS:
            # First visit: trade the URL's token for a cookie, and drop it from the address bar.
            rest = urlencode({k: v for k, v in query.items() if k != "token"})
            cookie = (f"{self.guard.cookie_name}={self.guard.new_session()}; HttpOnly; "
                      f"SameSite=Strict; Path=/")
            await _redirect_with_cookie(send, quote(path) + (f"?{rest}" if rest else ""),
                                        cookie, self._headers(path))
            return
        if scope["method"] not in SAFE_METHODS:
            body = await _read_capped(receive, headers.get("content-length"))
            if body is None:
                await _plain_response(send, 413, f"request body too large: the most is "
                                      f"{MAX_BODY_BYTES:,} bytes; nothing was written",
                                      path, self._headers(path))
                return
            receive = _replay(body, receive)
        extra = self._headers(path)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, receive, send_with_headers)

    def refusal(self, scope: Scope, headers: dict[str, str]) -> tuple[int, str] | None:
        if headers.get("host", "").lower() not in self.guard.allowed_hosts():
            return 400, "unknown Host header: open the desk at the URL 'panelist desk' printed"
        if not self._authenticated(scope, headers):
            return 401, ("this desk needs its token: open the URL 'panelist desk' printed, or "
                         "send 'Authorization: Bearer TOKEN'")
        if scope["method"] not in SAFE_METHODS:
            origin = headers.get("origin")
            if origin is not None and origin != f"http://{headers['host']}":
                return 403, f"writes from another origin ({origin}) are refused"
            if headers.get("sec-fetch-site", "same-origin") not in ("same-origin", "none"):
                return 403, "cross-site writes are refused"
        return None

    def _authenticated(self, scope: Scope, headers: dict[str, str]) -> bool:
        auth = headers.get("authorization", "")
        if auth.lower().startswith("bearer "):
            return self.guard.token_matches(auth[7:].strip())
        cookie: SimpleCookie = SimpleCookie()
        with contextlib.suppress(CookieError):
            cookie.load(headers.get("cookie", ""))
        name = self.guard.cookie_name
        if name in cookie and self.guard.session_matches(cookie[name].value):
            return True
        query = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1")))
        return scope["method"] in SAFE_METHODS and self.guard.token_matches(query.get("token"))

    @staticmethod
    def _headers(path: str) -> list[tuple[bytes, bytes]]:
        preview = path.startswith(PREVIEW_PREFIX)
        pairs = {
            "content-security-policy": PREVIEW_CSP if preview else PAGE_CSP,
            "x-frame-options": "SAMEORIGIN" if preview else "DENY",
            "x-content-type-options": "nosniff",
            "referrer-policy": "same-origin",  # no-referrer would make form posts say Origin: null
            "cache-control": "no-store",
            "cross-origin-opener-policy": "same-origin",
            "cross-origin-resource-policy": "same-origin",
        }
        return [(k.encode(), v.encode()) for k, v in pairs.items()]


async def _plain_response(send: Send, status: int, message: str, path: str,
                          headers: list[tuple[bytes, bytes]]) -> None:
    if path.startswith("/api/"):
        body, kind = json.dumps({"error": message}).encode(), b"application/json"
    else:
        body, kind = message.encode(), b"text/plain; charset=utf-8"
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", kind), (b"content-length", str(len(body)).encode()),
                            *headers]})
    await send({"type": "http.response.body", "body": body})


async def _read_capped(receive: Receive, declared: str | None) -> bytes | None:
    """The whole request body, or None once it passes ``MAX_BODY_BYTES`` (or says it will)."""
    if declared is not None and (not declared.strip().isdigit()
                                 or int(declared) > MAX_BODY_BYTES):
        return None
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return b"".join(chunks)
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            return None
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


def _replay(body: bytes, receive: Receive) -> Receive:
    """A ``receive`` that hands the app the body already read, then the connection's own
    messages (a disconnect)."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


async def _redirect_with_cookie(send: Send, location: str, cookie: str,
                                headers: list[tuple[bytes, bytes]]) -> None:
    await send({"type": "http.response.start", "status": 303,
                "headers": [(b"location", location.encode()), (b"set-cookie", cookie.encode()),
                            (b"content-length", b"0"), *headers]})
    await send({"type": "http.response.body", "body": b""})
