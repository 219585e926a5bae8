"""A real loopback HTTP server for feed tests: the network seam is exercised, never mocked."""

from __future__ import annotations

import gzip
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from onrust.settings import Settings, load_settings

FIXTURES = Path(__file__).parent / "fixtures"


@dataclass
class Route:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0                  # seconds before the status line (slow server)
    endless: bool = False               # stream chunks until the client hangs up
    gzip: bool = False
    etag: str | None = None             # answer 304 when If-None-Match matches
    handler: Callable[[BaseHTTPRequestHandler], None] | None = None


class _Handler(BaseHTTPRequestHandler):
    """Answers from the routes of the FeedServer its server belongs to."""

    protocol_version = "HTTP/1.1"
    server: _Quiet

    def do_GET(self) -> None:
        feeds = self.server.feeds
        feeds.requests.append((self.path, dict(self.headers)))
        route = feeds.routes.get(self.path)
        if route is None:
            self.send_error(404)
            return
        if route.handler:
            route.handler(self)
            return
        if route.delay:
            time.sleep(route.delay)
        if route.etag and self.headers.get("If-None-Match") == route.etag:
            self._not_modified(route.etag)
            return
        self._answer(route)

    def _not_modified(self, etag: str) -> None:
        self.send_response(304)
        self.send_header("ETag", etag)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _answer(self, route: Route) -> None:
        body = gzip.compress(route.body) if route.gzip else route.body
        self.send_response(route.status)
        for k, v in route.headers.items():
            self.send_header(k, v)
        if route.etag:
            self.send_header("ETag", route.etag)
        if route.gzip:
            self.send_header("Content-Encoding", "gzip")
        if route.endless:
            self.send_header("Content-Type", "application/rss+xml")
            self.end_headers()
            self._stream_until_hangup()
            return
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def _stream_until_hangup(self) -> None:
        chunk = b"<item><title>x</title></item>" * 1000
        try:
            while True:
                self.wfile.write(chunk)
        except (BrokenPipeError, ConnectionResetError):
            return

    def log_message(self, *args) -> None:
        pass


class _Quiet(ThreadingHTTPServer):
    feeds: FeedServer

    def handle_error(self, request, client_address) -> None:
        pass  # clients hanging up on a capped or timed-out body are the point of a test


class FeedServer:
    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.httpd = _Quiet(("127.0.0.1", 0), _Handler)
        self.httpd.feeds = self
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    @property
    def base(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def url(self, path: str) -> str:
        return self.base + path

    def add(self, path: str, **kwargs) -> str:
        self.routes[path] = Route(**kwargs)
        return self.url(path)

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server() -> Iterator[FeedServer]:
    srv = FeedServer()
    yield srv
    srv.close()


def make_settings(**collect) -> Settings:
    base = load_settings()
    conf = replace(base.collect, **{"allow_private_networks": True, "total_timeout_seconds": 2.0,
                                    "connect_timeout_seconds": 1.0, **collect})
    return replace(base, collect=conf)


@pytest.fixture
def settings() -> Settings:
    """Loopback allowed (the test server), short timeouts."""
    return make_settings()


def fixture_bytes(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()
