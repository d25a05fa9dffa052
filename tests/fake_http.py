"""The HTTP/1.1 side of the fake Messages API: framing, keep-alive, server-sent events, drops.

Behaviour lives in ``fake_messages_api.FakeMessagesAPI``; this module only moves bytes.
"""

from __future__ import annotations

import contextlib
import json
import socket
import struct
import sys
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fake_messages_api import FakeMessagesAPI

Json = dict[str, Any]


def error_envelope(status: int, message: str | None = None) -> Json:
    """Anthropic's error body. The SDK picks its exception class by status, not by this type."""
    fallback = "api_error" if status >= 500 else "invalid_request_error"
    etype = ERROR_TYPES.get(status, fallback)
    return {"type": "error", "error": {"type": etype, "message": message or f"fake {etype}"}}


ERROR_TYPES: dict[int, str] = {
    400: "invalid_request_error", 401: "authentication_error", 402: "billing_error",
    403: "permission_error", 404: "not_found_error", 413: "request_too_large",
    429: "rate_limit_error", 500: "api_error", 504: "timeout_error", 529: "overloaded_error",
}


class Server(ThreadingHTTPServer):
    """Daemon handler threads (never joined), and a listen backlog big enough for fan-out bursts."""

    daemon_threads = True
    block_on_close = False
    request_queue_size = 256

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that hangs up (the SDK closing a connection after an error, a test
        process killed mid-request) is normal for a server: say nothing. Anything else is a
        bug in the fake and keeps socketserver's traceback."""
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)


class Handler(BaseHTTPRequestHandler):
    """Thin HTTP/1.1 adapter (Content-Length framing, keep-alive); behaviour is in the fake."""

    protocol_version = "HTTP/1.1"
    server_version = "fake-anthropic/1.0"
    fake: FakeMessagesAPI  # bound per server in FakeMessagesAPI.start()

    def setup(self) -> None:
        super().setup()
        with self.fake._lock:
            self.fake._conns.add(self.connection)

    def finish(self) -> None:
        with self.fake._lock:
            self.fake._conns.discard(self.connection)
        with contextlib.suppress(OSError):
            super().finish()

    def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
        pass

    def do_GET(self) -> None:
        try:
            self.fake._handle(self)
        except OSError:  # client went away (timeout, reset) mid-reply
            self.close_connection = True
        except Exception as exc:  # e.g. a raising take_factory: surface it as a 500, not a hang
            self.close_connection = True
            with contextlib.suppress(OSError):
                self.send_json(500, error_envelope(500, f"fake server error: {exc!r}"))

    do_POST = do_GET

    def read_body(self) -> bytes:
        """Read the whole body so keep-alive framing stays in sync (SDK sends Content-Length)."""
        return self.rfile.read(int(self.headers.get("content-length") or 0))

    def send(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
        hdrs = {"content-type": "application/json", "request-id": f"req_{uuid.uuid4().hex[:24]}",
                **{k.lower(): v for k, v in (headers or {}).items()}}
        hdrs.pop("content-length", None)
        with self.fake._lock:
            self.fake.responses.append(status)
        self.send_response(status)
        for k, v in hdrs.items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        self.wfile.flush()

    def start_events(self, headers: dict[str, str]) -> None:
        """A 200 ``text/event-stream`` answer, chunked, written event by event."""
        with self.fake._lock:
            self.fake.responses.append(200)
        self.send_response(200)
        for k, v in {"content-type": "text/event-stream", "cache-control": "no-cache",
                     "request-id": f"req_{uuid.uuid4().hex[:24]}", **headers}.items():
            self.send_header(k, v)
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()

    def send_event(self, name: str, data: Json) -> None:
        chunk = f"event: {name}\ndata: {json.dumps(data)}\n\n".encode()
        self.wfile.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
        self.wfile.flush()

    def end_events(self) -> None:
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()

    def send_json(self, status: int, obj: Any, headers: dict[str, str] | None = None) -> None:
        self.send(status, json.dumps(obj).encode(), headers)

    def send_body(self, status: int, body: str | Json, headers: dict[str, str]) -> None:
        self.send(status, (json.dumps(body) if isinstance(body, dict) else body).encode(), headers)

    def drop(self, *, reset: bool = False) -> None:
        """Close without answering; ``reset`` forces an RST (SO_LINGER 0) instead of a FIN."""
        self.close_connection = True
        if reset:
            linger = struct.pack("ii", 1, 0)
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, linger)
        with contextlib.suppress(OSError):
            self.rfile.close()  # its makefile() reference would otherwise keep the fd open
        self.connection.close()  # wfile is an unbuffered _SocketWriter: later flush() is a no-op
