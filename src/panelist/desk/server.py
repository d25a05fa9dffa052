"""Starting the desk: bind first (so ``--port 0`` knows its port), print the URL, serve."""

from __future__ import annotations

import socket
import webbrowser
from collections.abc import Callable
from dataclasses import dataclass

from panelist.desk.security import Guard, is_loopback, is_wildcard, new_token
from panelist.errors import ConfigError
from panelist.store.workspace import Workspace

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765


@dataclass(frozen=True)
class Bound:
    sock: socket.socket
    guard: Guard

    @property
    def url(self) -> str:
        host = socket.gethostname() if is_wildcard(self.guard.host) else self.guard.host
        host = f"[{host}]" if ":" in host else host
        return f"http://{host}:{self.guard.port}/?token={self.guard.token}"


def bind(host: str = DEFAULT_HOST, port: int = DEFAULT_PORT) -> Bound:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as error:
        sock.close()
        raise ConfigError(f"cannot listen on {host}:{port} ({error.strerror or error}): pass "
                          f"--port 0 for a free port, or another --port") from None
    sock.listen(128)
    sock.setblocking(False)
    return Bound(sock, Guard(token=new_token(), host=host, port=sock.getsockname()[1]))


def non_loopback_warning(host: str) -> str | None:
    if is_loopback(host):
        return None
    return (f"warning: --host {host} makes the desk reachable from other machines; anyone who "
            f"gets the token can edit and publish. Prefer the default 127.0.0.1")


def serve(workspace: Workspace, bound: Bound, *, open_browser: bool,
          say: Callable[[str], None]) -> None:
    """Run until Ctrl-C. ``say`` prints the start-up line (and the warning, if any)."""
    import uvicorn

    from panelist.desk.app import create_app

    app = create_app(workspace, bound.guard)
    app.state.desk.warm_up()  # a new index reads every file once; start now
    if warning := non_loopback_warning(bound.guard.host):
        say(warning)
    say(f"panelist desk: {bound.url}")
    if open_browser:
        webbrowser.open(bound.url)
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off")
    uvicorn.Server(config).run(sockets=[bound.sock])
