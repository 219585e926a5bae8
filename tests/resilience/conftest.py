"""The collectors' loopback feed server, shared with the resilience tests."""

from tests.collectors.conftest import server

__all__ = ["server"]
