"""The door in proxy mode: every HTTP and WebSocket request must come from the trusted proxy and
carry the user header, or it gets 403 before Streamlit sees it.

A page script cannot see the TCP peer reliably (st.context.ip_address hides loopback), so the
check that matters happens here, on the ASGI scope; the page repeats it on the headers it gets.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from onrust.auth import proxy_refusal
from onrust.settings import AuthSettings

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
ASGIApp = Callable[[Scope, Callable[[], Awaitable[Message]], Callable[[Message], Awaitable[None]]],
                   Awaitable[None]]


class ProxyGate:
    """Pure ASGI middleware (Starlette's BaseHTTPMiddleware would not see WebSockets)."""

    def __init__(self, app: ASGIApp, auth: AuthSettings) -> None:
        self.app, self.auth = app, auth

    async def __call__(self, scope: Scope, receive: Callable[[], Awaitable[Message]],
                       send: Callable[[Message], Awaitable[None]]) -> None:
        if scope["type"] in ("http", "websocket"):
            headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
            client = scope.get("client")
            refused = proxy_refusal(lambda name: headers.get(name.lower()), client[0] if client else None,
                                    self.auth)
            if refused is not None:
                await _refuse(scope, send, refused)
                return
        await self.app(scope, receive, send)


async def _refuse(scope: Scope, send: Callable[[Message], Awaitable[None]], reason: str) -> None:
    if scope["type"] == "websocket":  # closing before accepting makes the server answer 403
        await send({"type": "websocket.close", "code": 1008, "reason": reason.encode()[:120].decode(errors="ignore")})
        return
    body = f"403 Geen toegang. {reason}\n".encode()
    await send({"type": "http.response.start", "status": 403,
                "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
