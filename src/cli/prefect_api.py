"""Which Prefect API `nianbao ingest` would use, found without importing Prefect (seconds saved on
every plain run), and whether it answers: a stopped server is one clear line, not a traceback.

The setting is Prefect's own: the PREFECT_API_URL environment variable, else the active profile
in $PREFECT_HOME/profiles.toml (what `prefect config set PREFECT_API_URL=…` writes).
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

import httpx

HEALTH_TIMEOUT_SECONDS = 3.0
# How long a run waits for the temporary Prefect server it starts (Prefect's default, 20 s, is
# not enough on a loaded machine); the environment variable, when set, wins.
TEMPORARY_SERVER_TIMEOUT_SETTING = "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS"
TEMPORARY_SERVER_TIMEOUT_SECONDS = 120


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
