"""Login against real processes: `onrust serve` with OIDC against a local mock identity provider
(logged in with Chromium), and with the trusted-proxy gate (plain HTTP and WebSocket requests)."""

from __future__ import annotations

import http.client
import os
import secrets
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tests.browser import CHROMIUM, free_port, wait_for_port

ANNA = {"preferred_username": "anna@uithoorn.nl", "name": "Anna de Vries", "groups": ["onrust-communicatie"]}


def _serve(tmp_path: Path, config: str, port: int, **env: str) -> subprocess.Popen:
    (tmp_path / "auth.toml").write_text(config, encoding="utf-8")
    return subprocess.Popen(
        [sys.executable, "-m", "app.cli", "serve", "--db", str(tmp_path / "auth.duckdb"), "--port", str(port),
         "--no-collect"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env={**os.environ, "ONRUST_CONFIG": str(tmp_path / "auth.toml"), **env},
    )


def _stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture
def provider():
    from oidc_provider_mock import User, run_server_in_thread

    with run_server_in_thread(user_claims=[User(sub="anna", claims=ANNA)]) as server:
        yield f"http://localhost:{server.server_port}"


@pytest.mark.browser
@pytest.mark.skipif(CHROMIUM is None, reason="geen Chromium op deze machine (apt-get install chromium)")
def test_oidc_login_in_chromium_shows_the_user_in_the_header(tmp_path, provider):
    from playwright.sync_api import expect, sync_playwright

    port = free_port()
    config = (f'[auth]\nmode = "oidc"\n[auth.oidc]\nredirect_uri = "http://localhost:{port}/oauth2callback"\n'
              f'server_metadata_url = "{provider}/.well-known/openid-configuration"\nclient_id = "onrust"\n')
    proc = _serve(tmp_path, config, port, ONRUST_OIDC_CLIENT_SECRET="mock-client-secret",
                  ONRUST_COOKIE_SECRET=secrets.token_urlsafe(32))
    try:
        wait_for_port(port, proc)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
            page = browser.new_page()
            page.goto(f"http://localhost:{port}/", wait_until="domcontentloaded")
            expect(page.get_by_text("Log in met uw account van de gemeente")).to_be_visible(timeout=60_000)
            assert page.get_by_text("Omgevingsbeeld").count() == 0  # no page, no sidebar before login
            page.get_by_role("button", name="Inloggen").click()
            page.wait_for_url(f"{provider}/**", timeout=30_000)
            page.locator("button[name=sub][value=anna]").click()  # the mock provider's user choice
            header = page.get_by_text("Ingelogd als Anna de Vries")
            expect(header).to_be_visible(timeout=60_000)
            # (md_escape puts a word joiner after '@', so the address is no mail link)
            assert "Anna de Vries (anna@uithoorn.nl) · rol: communicatieadviseur" in (
                header.inner_text().replace("\u2060", ""))
            expect(page.get_by_role("heading", name="Omgevingsbeeld")).to_be_visible()
            browser.close()
    finally:
        _stop(proc)


def test_oidc_mode_without_secrets_refuses_to_start(tmp_path):
    config = ('[auth]\nmode = "oidc"\n[auth.oidc]\nredirect_uri = "http://localhost:8501/oauth2callback"\n'
              'server_metadata_url = "http://localhost:9/x"\nclient_id = "onrust"\n')
    env = {k: v for k, v in os.environ.items() if k not in ("ONRUST_OIDC_CLIENT_SECRET", "ONRUST_COOKIE_SECRET")}
    (tmp_path / "auth.toml").write_text(config, encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "app.cli", "serve", "--db", str(tmp_path / "a.duckdb"), "--port", str(free_port())],
        capture_output=True, text=True, timeout=120, env={**env, "ONRUST_CONFIG": str(tmp_path / "auth.toml")},
    )
    assert run.returncode != 0
    assert "zet het cookiegeheim in de omgevingsvariabele ONRUST_COOKIE_SECRET" in run.stderr + run.stdout
    assert "Traceback" not in run.stderr


def _get(port: int, path: str, headers: dict[str, str]) -> tuple[int, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    finally:
        conn.close()


@pytest.fixture
def proxied(tmp_path):
    """`onrust serve` in proxy mode with this machine (127.0.0.1) as the trusted proxy."""
    port = free_port()
    proc = _serve(tmp_path, '[auth]\nmode = "proxy"\n[auth.proxy]\ntrusted_proxies = ["127.0.0.1/32"]\n', port)
    try:
        wait_for_port(port, proc)
        yield port
    finally:
        _stop(proc)


WS_UPGRADE = {"Connection": "Upgrade", "Upgrade": "websocket", "Sec-WebSocket-Version": "13",
              "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==", "Origin": "http://127.0.0.1"}


def test_proxy_mode_refuses_requests_without_the_user_header(proxied):
    status, body = _get(proxied, "/", {})
    assert status == 403 and "de proxy stuurde geen X-Remote-User" in body
    status, _ = _get(proxied, "/_stcore/stream", WS_UPGRADE)  # the session socket, where pages run
    assert status == 403
    status, _ = _get(proxied, "/", {"X-Remote-User": "  "})
    assert status == 403


def test_proxy_mode_serves_requests_with_the_user_header(proxied):
    status, body = _get(proxied, "/", {"X-Remote-User": "bram", "X-Remote-Groups": "onrust-kernteam"})
    assert status == 200 and "<html" in body.lower()
    # A proxy names the browser's address in X-Forwarded-For; the peer checked stays the proxy.
    status, _ = _get(proxied, "/", {"X-Remote-User": "bram", "X-Forwarded-For": "203.0.113.5"})
    assert status == 200
    status, _ = _get(proxied, "/_stcore/stream", {**WS_UPGRADE, "X-Remote-User": "bram"})
    assert status == 101  # the WebSocket is accepted


def test_proxy_mode_refuses_a_peer_that_is_not_the_proxy(tmp_path):
    port = free_port()
    proc = _serve(tmp_path, '[auth]\nmode = "proxy"\n[auth.proxy]\ntrusted_proxies = ["10.9.8.7/32"]\n', port)
    try:
        wait_for_port(port, proc)
        status, body = _get(port, "/", {"X-Remote-User": "bram", "X-Remote-Groups": "onrust-kernteam"})
        assert status == 403 and "verbinding van 127.0.0.1" in body
        # Naming the proxy in X-Forwarded-For does not make this machine the proxy.
        status, body = _get(port, "/", {"X-Remote-User": "bram", "X-Forwarded-For": "10.9.8.7"})
        assert status == 403 and "verbinding van 127.0.0.1" in body
    finally:
        _stop(proc)


class _HeaderProxy:
    """A reverse proxy on 127.0.0.1 that sets the identity headers on the first request of every
    connection, the WebSocket upgrade included, as a real proxy does: Chromium 150 no longer sends
    Playwright's extra headers on the WebSocket handshake, so the browser cannot play the proxy."""

    def __init__(self, upstream: int, headers: dict[str, str]) -> None:
        self.upstream, self.headers = upstream, headers
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.server.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client: socket.socket) -> None:
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = client.recv(65536)
            if not chunk:
                client.close()
                return
            head += chunk
        head, rest = head.split(b"\r\n\r\n", 1)
        names = {name.lower().encode() for name in self.headers}
        lines = [line for line in head.split(b"\r\n") if line.split(b":", 1)[0].strip().lower() not in names]
        lines += [f"{name}: {value}".encode() for name, value in self.headers.items()]
        upstream = socket.create_connection(("127.0.0.1", self.upstream))
        upstream.sendall(b"\r\n".join(lines) + b"\r\n\r\n" + rest)
        threading.Thread(target=_pipe, args=(upstream, client), daemon=True).start()
        _pipe(client, upstream)

    def close(self) -> None:
        self.server.close()


def _pipe(source: socket.socket, sink: socket.socket) -> None:
    try:
        while chunk := source.recv(65536):
            sink.sendall(chunk)
    except OSError:
        pass
    finally:
        for end in (source, sink):
            try:
                end.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


@pytest.mark.browser
@pytest.mark.skipif(CHROMIUM is None, reason="geen Chromium op deze machine (apt-get install chromium)")
def test_proxy_mode_in_chromium_names_the_user_and_role_from_the_headers(proxied):
    from playwright.sync_api import expect, sync_playwright

    # What the proxy adds to every request of a logged-in browser, the WebSocket included.
    identity = {"X-Remote-User": "bram", "X-Remote-Name": "Bram Bakker", "X-Remote-Groups": "onrust-lezen"}
    proxy = _HeaderProxy(proxied, identity)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
            # Kept-alive requests after a connection's first carry the same headers from the browser.
            page = browser.new_page(extra_http_headers=identity)
            page.goto(f"http://127.0.0.1:{proxy.port}/signalen", wait_until="domcontentloaded")
            header = page.get_by_text("Ingelogd als Bram Bakker")
            expect(header).to_be_visible(timeout=60_000)
            assert "(bram) · rol: alleen-lezen" in header.inner_text()
            refusal = page.get_by_text("Uw rol (alleen-lezen) mag geen incidenten openen, afsluiten of heropenen.")
            expect(refusal).to_be_visible()  # in the sidebar, where the incident form would be
            browser.close()
    finally:
        proxy.close()
