"""Fixtures of the crawler tests: the mock portal (a real HTTP server on 127.0.0.1), a sentinel
server on 127.0.0.2 that must never be reached, and sources files pointing at them. No test
reaches beyond loopback."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest

from nianbao.fetch.mock_portal import MockPortal


def _can_bind(host: str) -> bool:
    with socket.socket() as s:
        try:
            s.bind((host, 0))
        except OSError:
            return False
    return True


@pytest.fixture
def sentinel() -> Iterator[MockPortal]:
    """Another site on 127.0.0.2: every request it receives is a guard failure."""
    if not _can_bind("127.0.0.2"):
        pytest.skip("127.0.0.2 is not a loopback address on this system")
    with MockPortal("127.0.0.2") as server:
        yield server


@pytest.fixture
def portal(sentinel: MockPortal) -> Iterator[MockPortal]:
    with MockPortal(offhost=sentinel.base) as server:
        yield server
