"""A real HTTP feed server on 127.0.0.1 for the demo's live replay.

The collector fetches from it exactly as from a newsroom's server (httpx, the SSRF guard, ETag
validators, feedparser), so the demo exercises the production path; only the bytes are written
by us. It binds loopback only and picks a free port, so it never shows on the network.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Callable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

log = logging.getLogger("onrust.demo.feeds")
HOST = "127.0.0.1"

# The feed of one key as it stands now (None: no such feed), and its content type.
Render = Callable[[str], tuple[bytes, str] | None]


def _handler(render: Render) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "OnrustDemoFeeds/1"

        def do_GET(self) -> None:  # noqa: N802 (the name http.server calls)
            key = self.path.split("?", 1)[0].strip("/").removesuffix(".xml")
            feed = render(key)
            if feed is None:
                self.send_error(HTTPStatus.NOT_FOUND, "onbekende feed")
                return
            body, content_type = feed
            etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
            # Unchanged since the collector's last fetch: 304, as a well-behaved newsroom answers.
            if self.headers.get("If-None-Match") == etag:
                self.send_response(HTTPStatus.NOT_MODIFIED)
                self.send_header("ETag", etag)
                self.end_headers()
                return
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("ETag", etag)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (http.server's name)
            log.debug("%s %s", self.address_string(), format % args)

    return Handler


class FeedServer:
    """Serves `/<key>.xml` from `render` in a daemon thread until `stop()`."""

    def __init__(self, render: Render, port: int = 0) -> None:
        self._httpd = ThreadingHTTPServer((HOST, port), _handler(render))
        self._httpd.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        return f"http://{HOST}:{self._httpd.server_address[1]}"

    def start(self) -> FeedServer:
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="demo-feeds", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread.join()
            self._thread = None
        self._httpd.server_close()
