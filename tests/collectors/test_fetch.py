"""The network seam against a real loopback server: limits, redirects, validators, refusals."""

from __future__ import annotations

import re
import time

import pytest

from collectors.fetch import FetchError, UnsafeURL, check_url, fetch
from tests.collectors.conftest import fixture_bytes, make_settings

RSS = fixture_bytes("rss2.xml")


def test_plain_fetch_sends_user_agent_with_contact(server, settings):
    url = server.add("/feed.xml", body=RSS, headers={"Content-Type": "application/rss+xml"})
    got = fetch(url, settings=settings)
    assert (got.status, got.body, got.content_type) == (200, RSS, "application/rss+xml")
    agent = server.requests[-1][1]["User-Agent"]
    assert agent.startswith("Onrustmonitor/") and settings.collect.contact in agent


def test_gzip_body_is_decoded(server, settings):
    url = server.add("/gz.xml", body=RSS, gzip=True)
    assert fetch(url, settings=settings).body == RSS
    assert "gzip" in server.requests[-1][1]["Accept-Encoding"]


def test_slow_response_times_out(server):
    url = server.add("/slow.xml", body=RSS, delay=3)
    start = time.monotonic()
    with pytest.raises(FetchError, match="Time-out"):
        fetch(url, settings=make_settings(total_timeout_seconds=0.5))
    assert time.monotonic() - start < 2.5


def test_endless_body_is_cut_at_the_size_cap(server):
    url = server.add("/endless.xml", endless=True)
    with pytest.raises(FetchError, match="groter dan 100000 bytes"):
        fetch(url, settings=make_settings(max_bytes=100_000))


def test_oversized_declared_body_is_refused(server):
    url = server.add("/big.xml", body=b"x" * 200_000)
    with pytest.raises(FetchError, match="groter dan 100000 bytes"):
        fetch(url, settings=make_settings(max_bytes=100_000))


def test_gzip_bomb_is_cut_at_the_decoded_size(server):
    url = server.add("/bomb.xml", body=b"<" * 5_000_000, gzip=True)
    with pytest.raises(FetchError, match="groter dan 100000 bytes"):
        fetch(url, settings=make_settings(max_bytes=100_000))


def test_conditional_get_with_etag_gives_304(server, settings):
    url = server.add("/etag.xml", body=RSS, etag='"v1"', headers={"Last-Modified": "Sat, 14 Nov 2026 21:00:00 GMT"})
    first = fetch(url, settings=settings)
    assert (first.status, first.etag, first.last_modified) == (200, '"v1"', "Sat, 14 Nov 2026 21:00:00 GMT")
    second = fetch(url, settings=settings, etag=first.etag, last_modified=first.last_modified)
    assert second.not_modified and second.body == b"" and second.etag == '"v1"'
    sent = server.requests[-1][1]
    assert sent["If-None-Match"] == '"v1"' and sent["If-Modified-Since"] == "Sat, 14 Nov 2026 21:00:00 GMT"


@pytest.mark.parametrize("status", [429, 503])
def test_retry_after_is_reported(server, settings, status):
    url = server.add(f"/busy{status}.xml", status=status, headers={"Retry-After": "120"})
    with pytest.raises(FetchError) as err:
        fetch(url, settings=settings)
    assert (err.value.status, err.value.retry_after) == (status, 120.0)


def test_http_error_is_a_fetch_error(server, settings):
    url = server.add("/gone.xml", status=410, body=b"weg")
    with pytest.raises(FetchError, match="HTTP 410"):
        fetch(url, settings=settings)


def test_redirects_are_followed_and_counted(server, settings):
    final = server.add("/final.xml", body=RSS)
    server.add("/r1", status=301, headers={"Location": "/final.xml"})
    assert fetch(server.url("/r1"), settings=settings).url == final
    for i in range(7):
        server.add(f"/loop{i}", status=302, headers={"Location": f"/loop{i + 1}"})
    with pytest.raises(FetchError, match="Meer dan 5 doorverwijzingen"):
        fetch(server.url("/loop0"), settings=settings)


def test_redirect_to_a_private_address_is_refused(server):
    # Loopback 127.0.0.1 is allowed for the test server only; every other private range is not.
    settings = make_settings(allow_private_networks=False, allowed_networks=("127.0.0.1/32",))
    server.add("/to-metadata", status=302, headers={"Location": "http://169.254.169.254/latest/meta-data/"})
    server.add("/to-intranet", status=307, headers={"Location": "http://10.1.2.3/feed"})
    server.add("/to-file", status=302, headers={"Location": "file:///etc/passwd"})
    for path in ("/to-metadata", "/to-intranet", "/to-file"):
        with pytest.raises(UnsafeURL):
            fetch(server.url(path), settings=settings)
    assert [p for p, _ in server.requests] == ["/to-metadata", "/to-intranet", "/to-file"]


@pytest.mark.parametrize("url", [
    "file:///etc/passwd", "ftp://example.nl/feed", "/etc/passwd", "feed.xml", "javascript:alert(1)",
    "http://127.0.0.1/feed", "http://localhost/feed", "http://10.0.0.8/feed", "http://192.168.1.1/",
    "http://169.254.169.254/", "http://[::1]/feed", "http://224.0.0.1/", "http://0.0.0.0/",
])
def test_unsafe_urls_are_refused_before_any_request(url):
    with pytest.raises(UnsafeURL):
        check_url(url, make_settings(allow_private_networks=False))


@pytest.mark.parametrize("address", [
    "100.64.0.1", "100.100.100.200",        # shared address space (CGNAT), incl. a cloud metadata address
    "198.18.0.1", "192.0.2.1", "240.0.0.1", "255.255.255.255",  # benchmark, documentation, reserved
    "[fc00::1]", "[fe80::1]", "[::]", "[2001:db8::1]", "[ff02::1]", "[::a00:1]",
    "[::ffff:10.0.0.1]", "[::ffff:127.0.0.1]",               # IPv4-mapped
    "[2002:a00:1::1]", "[2002:7f00:1::1]", "[2002:a9fe:a9fe::]",  # 6to4: 10.0.0.1, 127.0.0.1, 169.254.169.254
    "[2001:0:4136:e378:8000:63bf:f5ff:fffe]",                # Teredo around 10.0.0.1
    "[64:ff9b::a00:1]", "[64:ff9b::a9fe:a9fe]",              # NAT64 around 10.0.0.1, 169.254.169.254
])
def test_non_global_and_wrapped_addresses_are_refused(address):
    with pytest.raises(UnsafeURL, match="intern of lokaal adres"):
        check_url(f"http://{address}/feed", make_settings(allow_private_networks=False))


@pytest.mark.parametrize("address", [
    "8.8.8.8", "93.184.216.34", "[2001:4860:4860::8888]", "[::ffff:8.8.8.8]", "[2002:808:808::1]",
    "[64:ff9b::808:808]",
])
def test_global_addresses_pass(address):
    url = f"http://{address}/feed"
    assert check_url(url, make_settings(allow_private_networks=False)) == url


def test_allowed_networks_open_one_refused_range():
    settings = make_settings(allow_private_networks=False, allowed_networks=["100.64.0.0/10"])
    assert check_url("http://100.100.100.200/feed", settings)
    with pytest.raises(UnsafeURL):
        check_url("http://10.0.0.1/feed", settings)


def test_private_networks_setting_allows_loopback():
    assert check_url("http://127.0.0.1:8080/feed", make_settings(allow_private_networks=True))


def test_address_is_checked_again_at_connect_time(server):
    """A name that passed the early check but connects to a refused address (DNS rebinding)."""
    from collectors.fetch import make_client

    url = server.add("/feed.xml", body=RSS)
    settings = make_settings(allow_private_networks=False, allowed_networks=())
    with make_client(settings) as client:
        with pytest.raises(UnsafeURL, match="intern of lokaal adres"):
            client.get(url.replace("127.0.0.1", "localhost"))
    assert server.requests == []


class TrickleServer:
    """A raw loopback socket that answers one byte at a time, each well within the read timeout:
    httpx times out per read, so only a deadline over the whole request can stop it."""

    def __init__(self, head: bytes, body_forever: bool = False, pause: float = 0.2) -> None:
        import socket
        import threading

        self.sock = socket.create_server(("127.0.0.1", 0))
        self.head, self.body_forever, self.pause = head, body_forever, pause
        self.stop = threading.Event()
        threading.Thread(target=self._serve, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.sock.getsockname()[1]}/feed.xml"

    def _serve(self) -> None:
        conn, _ = self.sock.accept()
        with conn:
            conn.recv(65536)
            try:
                for byte in self.head:
                    conn.sendall(bytes([byte]))
                    if self.stop.wait(self.pause):
                        return
                while self.body_forever and not self.stop.wait(self.pause):
                    conn.sendall(b"<")
                while not self.stop.wait(self.pause):  # an endless header: never a blank line
                    conn.sendall(b"a")
            except OSError:
                return

    def close(self) -> None:
        self.stop.set()
        self.sock.close()


@pytest.mark.parametrize("body_forever", [False, True], ids=["headers", "body"])
def test_trickling_server_is_cut_at_the_total_deadline(body_forever):
    import threading

    head = b"HTTP/1.1 200 OK\r\n" + (b"Content-Type: application/rss+xml\r\n\r\n" if body_forever
                                     else b"X-Slow: ")
    trickle = TrickleServer(head, body_forever=body_forever, pause=0.02 if body_forever else 0.2)
    outcome: list[BaseException | object] = []

    def run() -> None:
        try:
            outcome.append(fetch(trickle.url, settings=make_settings(total_timeout_seconds=1.0)))
        except BaseException as exc:  # handed to the test thread
            outcome.append(exc)

    try:
        start = time.monotonic()
        worker = threading.Thread(target=run, daemon=True)
        worker.start()
        worker.join(timeout=3.0)  # a fetch still running here ignored the deadline
        assert outcome, f"fetch still running after {time.monotonic() - start:.1f} s (limit 1 s)"
        assert isinstance(outcome[0], FetchError)
        assert re.search(r"Time-out bij .*: geen volledig antwoord binnen 1 s", str(outcome[0]))
    finally:
        trickle.close()
