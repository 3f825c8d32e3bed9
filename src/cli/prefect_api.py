"""Which Prefect API `nianbao ingest` would use, found without importing Prefect (seconds saved on
every plain run), and whether it answers: a stopped server is one clear line, not a traceback.

The setting is Prefect's own: the PREFECT_API_URL environment variable, else the active profile
in $PREFECT_HOME/profiles.toml (what `prefect config set PREFECT_API_URL=…` writes).

Without one, `ingest --prefect` starts its own temporary server (the one Prefect would start, the
same command) as a child that dies with the ingest, even on `kill -9` (PR_SET_PDEATHSIG).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from nianbao.common.processes import dying_with_this_process

HEALTH_TIMEOUT_SECONDS = 3.0
# Seconds the temporary server may take to answer (Prefect's own default, 20 s, is too short on a
# loaded machine: its start then ends the ingest with a traceback).
SERVER_STARTUP_SECONDS = float(os.environ.get("NIANBAO_PREFECT_STARTUP_SECONDS") or 120)
_POLL_SECONDS = 0.2


class ServerStartError(RuntimeError):
    """The temporary Prefect server did not start; the message says why, in one line."""


def configured_api_url() -> str | None:
    """PREFECT_API_URL from the environment or the active Prefect profile; None when unset."""
    value = os.environ.get("PREFECT_API_URL")
    if value is not None:
        return value.strip() or None
    home = Path(os.environ.get("PREFECT_HOME") or Path.home() / ".prefect").expanduser()
    try:
        profiles = tomllib.loads((home / "profiles.toml").read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
        return None
    active = os.environ.get("PREFECT_PROFILE") or profiles.get("active") or "ephemeral"
    settings = profiles.get("profiles", {}).get(active, {})
    value = settings.get("PREFECT_API_URL") if isinstance(settings, dict) else None
    return str(value).strip() or None if value else None


def unreachable_reason(api_url: str) -> str | None:
    """None when the Prefect API at `api_url` answers its health check; else why not, in words."""
    url = api_url.rstrip("/") + "/health"
    try:
        response = httpx.get(url, timeout=HEALTH_TIMEOUT_SECONDS)
    except httpx.HTTPError as exc:
        return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    if response.status_code >= 400:
        return f"HTTP {response.status_code} from {url}"
    return None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def server_command(port: int) -> list[str]:
    """Prefect's temporary server (prefect.server.api.server.SubprocessASGIServer), without its UI."""
    return [sys.executable, "-m", "uvicorn", "--factory", "prefect.server.api.server:create_app",
            "--host", "127.0.0.1", "--port", str(port), "--log-level", "error", "--lifespan", "on"]


@contextmanager
def temporary_server(startup_seconds: float = SERVER_STARTUP_SECONDS) -> Iterator[str]:
    """Start a Prefect server for this run and yield its API URL; stop it on the way out. The
    server process dies with this one whatever happens to it. Raises ServerStartError."""
    port = _free_port()
    env = {**os.environ, "PREFECT_UI_ENABLED": "0", "PREFECT__SERVER_EPHEMERAL": "1",
           "PREFECT__SERVER_FINAL": "1"}
    with tempfile.TemporaryFile() as errors:
        process = subprocess.Popen(server_command(port), env=env, stdin=subprocess.DEVNULL,
                                   stdout=subprocess.DEVNULL, stderr=errors,
                                   preexec_fn=dying_with_this_process())  # noqa: PLW1509 -- only prctl/getppid
        api = f"http://127.0.0.1:{port}/api"
        try:
            _wait_until_healthy(process, api, startup_seconds, errors)
            yield api
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait_until_healthy(process: subprocess.Popen, api: str, seconds: float, errors: object) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            errors.seek(0)  # type: ignore[attr-defined]
            last = errors.read().decode("utf-8", "replace").strip().splitlines()  # type: ignore[attr-defined]
            raise ServerStartError(f"the temporary Prefect server exited with code {process.returncode}"
                                   + (f": {last[-1]}" if last else ""))
        if unreachable_reason(api) is None:
            return
        time.sleep(_POLL_SECONDS)
    raise ServerStartError(f"the temporary Prefect server did not answer within {seconds:.0f} s "
                           "(setting NIANBAO_PREFECT_STARTUP_SECONDS)")
