"""The desk served for real: uvicorn on a loopback port in a thread, spoken to over HTTP."""

from __future__ import annotations

import http.client
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import uvicorn

from panelist.desk.app import create_app
from panelist.desk.server import bind
from panelist.store.workspace import Workspace


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    text: str

    @property
    def json(self) -> Any:
        return json.loads(self.text)


@dataclass
class RunningDesk:
    workspace: Workspace
    host: str
    port: int
    token: str

    @property
    def origin(self) -> str:
        return f"http://{self.host}:{self.port}"

    def request(self, method: str, path: str, body: Any = None, *, token: bool = True,
                headers: dict[str, str] | None = None) -> Reply:
        """One request; a JSON ``body`` is sent as JSON, a ``str`` body as it is."""
        sent = {"Host": f"{self.host}:{self.port}", **(headers or {})}
        if token:
            sent.setdefault("Authorization", f"Bearer {self.token}")
        data = None
        if body is not None:
            data = body.encode() if isinstance(body, str) else json.dumps(body).encode()
            sent.setdefault("Content-Type", "application/json")
        connection = http.client.HTTPConnection(self.host, self.port, timeout=30)
        try:
            connection.request(method, path, body=data, headers=sent)
            response = connection.getresponse()
            return Reply(response.status, {k.lower(): v for k, v in response.getheaders()},
                         response.read().decode("utf-8"))
        finally:
            connection.close()

    def session_cookie(self) -> str:
        """A ``Cookie`` header value, from trading the token for a session as a browser does."""
        first = self.request("GET", f"/?token={self.token}", token=False)
        assert first.status == 303, first.text
        return first.headers["set-cookie"].split(";")[0]

    def send_chunked(self, method: str, path: str, chunks: list[bytes],
                     headers: dict[str, str] | None = None) -> Reply:
        """A body sent with ``Transfer-Encoding: chunked`` and no Content-Length."""
        sent = {"Host": f"{self.host}:{self.port}", "Authorization": f"Bearer {self.token}",
                "Content-Type": "application/json", **(headers or {})}
        connection = http.client.HTTPConnection(self.host, self.port, timeout=30)
        try:
            connection.request(method, path, body=iter(chunks), headers=sent,
                               encode_chunked=True)
            response = connection.getresponse()
            return Reply(response.status, {k.lower(): v for k, v in response.getheaders()},
                         response.read().decode("utf-8"))
        finally:
            connection.close()

    def wait_for_run(self, run_id: str, timeout_s: float = 60.0) -> dict[str, Any]:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            run: dict[str, Any] = self.request("GET", f"/api/runs/{run_id}").json
            if run["state"] != "running":
                return run
            time.sleep(0.05)
        raise AssertionError(f"run {run_id} still running after {timeout_s}s")


@contextmanager
def running_desk(workspace: Workspace) -> Iterator[RunningDesk]:
    bound = bind("127.0.0.1", 0)
    app = create_app(workspace, bound.guard)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [bound.sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline:
            raise AssertionError("the desk did not start in 10 s")
        time.sleep(0.02)
    try:
        yield RunningDesk(workspace, "127.0.0.1", bound.guard.port, bound.guard.token)
    finally:
        server.should_exit = True
        thread.join(10)
        bound.sock.close()
