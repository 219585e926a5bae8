"""The one network seam: http(s) only, public addresses only, one deadline per request, a size cap,
validators.

feedparser never sees a URL: it gets the bytes fetched here. Every hop of a redirect chain is
checked against the same rules, because a public feed that redirects to 169.254.169.254 or an
intranet host is the classic server-side request forgery.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from collections.abc import Iterable
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx

from onrust import __version__
from onrust.settings import Settings

ALLOWED_SCHEMES = ("http", "https")
_REDIRECTS = (301, 302, 303, 307, 308)


class FetchError(Exception):
    """The feed could not be fetched; the message is shown on the Bronnen page."""

    def __init__(self, message: str, *, status: int | None = None, retry_after: float | None = None):
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after  # seconds the server asked us to wait (429/503)


class UnsafeURL(FetchError):
    """Refused before any request: wrong scheme or an address we must not reach."""


@dataclass(frozen=True)
class Fetched:
    url: str                    # final URL after redirects
    status: int                 # 200, or 304 when the validators still hold
    body: bytes
    content_type: str | None
    etag: str | None = None
    last_modified: str | None = None

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def user_agent(settings: Settings) -> str:
    return f"Onrustmonitor/{__version__} (+{settings.collect.contact})"


_IP = ipaddress.IPv4Address | ipaddress.IPv6Address
_NAT64 = ipaddress.ip_network("64:ff9b::/96")  # RFC 6052: a DNS64 answer for an IPv4-only host


def _blocked(ip: _IP) -> bool:
    """Everything the stdlib does not call global (private, shared 100.64.0.0/10 with its cloud
    metadata address, documentation, benchmark, reserved, ...), multicast, and any IPv6 address
    that wraps a blocked IPv4 address a gateway would forward to (mapped, 6to4, Teredo, NAT64).
    The stdlib's registry tables, not a hand-kept list, so new special ranges come with Python."""
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped or ip in _NAT64:  # only the IPv4 address inside counts
            return _blocked(ip.ipv4_mapped or ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
        if any(_blocked(inner) for inner in (ip.sixtofour, *(ip.teredo or ())) if inner):
            return True
    return not ip.is_global or ip.is_multicast or ip.is_reserved


def _allowed_networks(settings: Settings) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    return [ipaddress.ip_network(n, strict=False) for n in settings.collect.allowed_networks]


def _refuse_blocked(host: str, ips: list[_IP], settings: Settings) -> None:
    allowed = _allowed_networks(settings)
    for ip in ips:
        if _blocked(ip) and not any(ip in net for net in allowed):
            raise UnsafeURL(
                f"{host} wijst naar {ip}, een intern of lokaal adres; dat is geweigerd "
                "(zet [collect] allow_private_networks aan voor een bron op het eigen netwerk)"
            )


def _resolve(host: str, port: int) -> list[_IP]:
    try:
        infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError) as exc:
        raise FetchError(f"Host {host} niet gevonden ({exc})") from exc
    return [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos]


# When the request being made on this thread must be done (time.monotonic()); set by _fetch.
_deadline: ContextVar[float | None] = ContextVar("fetch_deadline", default=None)


def _left(timeout: float | None, expired: type[httpcore.TimeoutException]) -> float | None:
    """The per-operation timeout shortened to what is left of the request's total time.

    httpx times out per read, so a server sending one byte a second resets its clock forever;
    bounding every socket operation by the same deadline caps the whole request (headers too).
    """
    deadline = _deadline.get()
    if deadline is None:
        return timeout
    left = deadline - time.monotonic()
    if left <= 0:
        raise expired("total time limit reached")
    return left if timeout is None else min(timeout, left)


class _DeadlineStream(httpcore.NetworkStream):
    """A socket stream whose every read, write and TLS handshake ends by the request deadline."""

    def __init__(self, stream: httpcore.NetworkStream) -> None:
        self._stream = stream

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._stream.read(max_bytes, _left(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, _left(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._stream.close()

    def start_tls(self, ssl_context, server_hostname=None, timeout=None) -> httpcore.NetworkStream:
        return _DeadlineStream(self._stream.start_tls(ssl_context, server_hostname,
                                                      _left(timeout, httpcore.ConnectTimeout)))

    def get_extra_info(self, info: str):
        return self._stream.get_extra_info(info)


class _GuardedBackend(httpcore.SyncBackend):
    """Checks the address at connect time and connects to exactly that address, so a DNS
    answer that changes between check and connect (DNS rebinding) cannot reach a private host.
    TLS still verifies the certificate against the host name (httpcore passes it as SNI)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def connect_tcp(self, host: str, port: int, timeout: float | None = None, local_address: str | None = None,
                    socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None) -> httpcore.NetworkStream:
        if self.settings.collect.allow_private_networks:
            return _DeadlineStream(super().connect_tcp(host, port, _left(timeout, httpcore.ConnectTimeout),
                                                       local_address, socket_options))
        ips = _resolve(host, port)
        _refuse_blocked(host, ips, self.settings)
        error: Exception | None = None
        for ip in dict.fromkeys(ips):  # each checked address in turn, as create_connection does
            try:
                return _DeadlineStream(super().connect_tcp(
                    str(ip), port, _left(timeout, httpcore.ConnectTimeout), local_address, socket_options))
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                error = exc
        assert error is not None  # getaddrinfo gives at least one address or raises
        raise error


class _GuardedTransport(httpx.HTTPTransport):
    # httpx offers no public hook for the network backend; its pool is replaced by one that
    # uses ours (httpx is pinned <1 in pyproject; test_fetch covers this seam).
    def __init__(self, settings: Settings) -> None:
        super().__init__()
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(), network_backend=_GuardedBackend(settings),
        )


def check_url(url: str, settings: Settings) -> str:
    """Refuse non-http(s) URLs and, unless allowed, hosts that resolve to non-public addresses.

    Returns the URL stripped; raises UnsafeURL with a Dutch message for the user. The same rule
    is enforced again at connect time (_GuardedBackend); this early check gives the clear message.
    """
    url = (url or "").strip()
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise UnsafeURL(f"Ongeldig adres: {url!r}") from exc
    if parts.scheme.lower() not in ALLOWED_SCHEMES:
        raise UnsafeURL(f"Alleen http(s)-adressen zijn toegestaan, niet {url!r}")
    host = parts.hostname
    if not host:
        raise UnsafeURL(f"Adres zonder host: {url!r}")
    if settings.collect.allow_private_networks:
        return url
    _refuse_blocked(host, _resolve(host, port or (443 if parts.scheme == "https" else 80)), settings)
    return url


def _retry_after(value: str | None) -> float | None:
    """Retry-After is seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def make_client(settings: Settings) -> httpx.Client:
    """One client per collection pass: connection reuse without sharing state between passes."""
    conf = settings.collect
    timeout = httpx.Timeout(conf.total_timeout_seconds, connect=conf.connect_timeout_seconds)
    return httpx.Client(
        headers={"User-Agent": user_agent(settings), "Accept-Encoding": "gzip, deflate",
                 "Accept": "application/rss+xml, application/atom+xml, application/xml;q=0.9, "
                           "application/json;q=0.9, text/xml;q=0.8, */*;q=0.5"},
        timeout=timeout, follow_redirects=False, trust_env=False,
        transport=_GuardedTransport(settings),
    )


def fetch(
    url: str,
    *,
    settings: Settings,
    etag: str | None = None,
    last_modified: str | None = None,
    client: httpx.Client | None = None,
) -> Fetched:
    """GET one URL: conditional, redirects checked hop by hop, body capped while streaming."""
    own = client is None
    client = client or make_client(settings)
    try:
        return _fetch(client, url, settings, etag, last_modified)
    finally:
        if own:
            client.close()


def _fetch(client: httpx.Client, url: str, settings: Settings, etag: str | None,
           last_modified: str | None) -> Fetched:
    total = settings.collect.total_timeout_seconds
    token = _deadline.set(time.monotonic() + total)  # one deadline over every hop, headers and body
    try:
        return _follow(client, url, settings, etag, last_modified)
    except httpx.TimeoutException as exc:
        raise FetchError(f"Time-out bij {exc.request.url}: geen volledig antwoord binnen {total:g} s") \
            from exc
    finally:
        _deadline.reset(token)


def _follow(client: httpx.Client, url: str, settings: Settings, etag: str | None,
            last_modified: str | None) -> Fetched:
    conf = settings.collect
    limit = conf.max_bytes
    headers = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    current = url
    for _hop in range(conf.max_redirects + 1):
        check_url(current, settings)
        try:
            with client.stream("GET", current, headers=headers) as resp:
                if resp.status_code in _REDIRECTS:
                    target = resp.headers.get("location")
                    if not target:
                        raise FetchError(f"HTTP {resp.status_code} zonder Location van {current}",
                                         status=resp.status_code)
                    current = urljoin(current, target)
                    continue
                if resp.status_code == 304:
                    return Fetched(current, 304, b"", resp.headers.get("content-type"),
                                   resp.headers.get("etag") or etag,
                                   resp.headers.get("last-modified") or last_modified)
                if resp.status_code in (429, 503):
                    raise FetchError(f"HTTP {resp.status_code} van {current}: later opnieuw",
                                     status=resp.status_code,
                                     retry_after=_retry_after(resp.headers.get("retry-after")))
                if resp.status_code != 200:
                    raise FetchError(f"HTTP {resp.status_code} van {current}", status=resp.status_code)
                return Fetched(current, 200, _read_capped(resp, limit), resp.headers.get("content-type"),
                               resp.headers.get("etag"), resp.headers.get("last-modified"))
        except httpx.TimeoutException:
            raise  # reported by _fetch with the limit
        except httpx.HTTPError as exc:
            raise FetchError(f"Ophalen mislukt bij {current}: {exc}") from exc
    raise FetchError(f"Meer dan {conf.max_redirects} doorverwijzingen vanaf {url}")


def _read_capped(resp: httpx.Response, limit: int) -> bytes:
    """The decoded body, refused when it is declared or grows larger than `limit` bytes."""
    declared = resp.headers.get("content-length")
    if declared and declared.isdigit() and resp.headers.get("content-encoding") in (None, "identity") \
            and int(declared) > limit:
        raise FetchError(f"Antwoord groter dan {limit} bytes ({declared}); niet opgehaald")
    chunks, size = [], 0
    for chunk in resp.iter_bytes():  # decoded: the cap also stops gzip bombs
        size += len(chunk)
        if size > limit:
            raise FetchError(f"Antwoord groter dan {limit} bytes; afgebroken")
        chunks.append(chunk)
    return b"".join(chunks)
