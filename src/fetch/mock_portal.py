"""The mock portal: a real HTTP server on loopback that serves several agencies' portals from
the bundled mock_portal/ data and misbehaves where portal.yaml says (redirects, 404, a 500 that succeeds on
retry, a slow page, a trickling download, an oversized file). Test fixture and `nianbao demo`.

`python -m nianbao.fetch.mock_portal [--port 8000]` serves it by hand.
"""

from __future__ import annotations

import argparse
import email.utils
import hashlib
import mimetypes
import posixpath
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Self
from urllib.parse import unquote, urlsplit

import yaml

from nianbao.config import bundled_data, mock_portal_dir

PORTAL_DIR = mock_portal_dir()
# `files:` in portal.yaml name documents relative to the bundled data folder.
DATA_ROOT = bundled_data()
# Replaced in every HTML page served: the address of a site that is not the portal's.
OFFHOST_PLACEHOLDER = "__OFFHOST__"
DEFAULT_OFFHOST = "http://127.0.0.2:9"
TYPES = {".html": "text/html", ".shtml": "text/html", ".htm": "text/html", ".txt": "text/plain",
         ".pdf": "application/pdf", ".doc": "application/msword", ".wps": "application/vnd.ms-works",
         ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
         ".png": "image/png", ".jpg": "image/jpeg"}


@dataclass(frozen=True)
class Hit:
    """One request the portal received."""

    path: str
    host: str | None
    status: int
    conditional: bool
    at: float


@dataclass
class PortalConfig:
    site: Path
    files: dict[str, Path]
    faults: dict[str, dict[str, Any]]
    expected: dict[str, dict[str, list[str]]]

    @classmethod
    def load(cls, folder: Path = PORTAL_DIR) -> PortalConfig:
        data = yaml.safe_load((folder / "portal.yaml").read_text(encoding="utf-8")) or {}
        return cls(
            site=folder / "site",
            files={path: DATA_ROOT / target for path, target in (data.get("files") or {}).items()},
            faults=dict(data.get("paths") or {}),
            expected=dict(data.get("expected") or {}),
        )


@dataclass
class _State:
    hits: list[Hit] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    in_flight: int = 0
    max_in_flight: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


class QuietHandler(BaseHTTPRequestHandler):
    """HTTP/1.1 keep-alive, no log lines, and `_send` of a whole answer."""

    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body are separate writes: no 40 ms delayed-ACK stall

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _send(self, status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class LoopbackServer:
    """A threaded HTTP server on loopback, started and stopped as a context manager (the mock
    portal here, fixture portals in nianbao.fetch.replay)."""

    thread_name = "loopback-server"

    def __init__(self, host: str, port: int, handler: type[BaseHTTPRequestHandler]) -> None:
        self._server = ThreadingHTTPServer((host, port), handler)
        self._server.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def base(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def url(self, path: str) -> str:
        return path if path.startswith(("http://", "https://")) else self.base + path

    def start(self) -> Self:
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        name=self.thread_name, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        if self._thread:
            self._thread.join(timeout=5)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


class MockPortal(LoopbackServer):
    """`with MockPortal() as portal: portal.url("/wuyang/jyj/nb/index.html")`."""

    thread_name = "mock-portal"

    def __init__(self, host: str = "127.0.0.1", port: int = 0, *, config: PortalConfig | None = None,
                 offhost: str = DEFAULT_OFFHOST, site: Path | None = None) -> None:
        self.config = config or PortalConfig.load()
        if site is not None:
            self.config.site = site
        self.offhost = offhost
        self.state = _State()
        super().__init__(host, port, _handler_for(self))

    @property
    def hits(self) -> list[Hit]:
        with self.state.lock:
            return list(self.state.hits)

    def render_sources(self, template: str | Path) -> str:
        """A sources file of data/mock_portal with `{base}` replaced by this server's address."""
        text = Path(template).read_text(encoding="utf-8") if isinstance(template, Path) else template
        return text.replace("{base}", self.base)

    # -- responses --------------------------------------------------------------------------
    def _body(self, path: str) -> tuple[bytes, float] | None:
        target = self.config.files.get(path)
        if target is None:
            relative = posixpath.normpath(path).lstrip("/")
            if relative.startswith("..") or relative in ("", "."):
                return None
            target = self.config.site / relative
            if target.is_dir():
                target = target / "index.html"
        if not target.is_file():
            return None
        data = target.read_bytes()
        if target.suffix in (".html", ".shtml", ".htm"):
            data = data.replace(OFFHOST_PLACEHOLDER.encode(), self.offhost.encode())
        return data, target.stat().st_mtime


def _handler_for(portal: MockPortal) -> type[BaseHTTPRequestHandler]:
    class Handler(QuietHandler):
        server_version = "MockPortal/1.0"

        def do_GET(self) -> None:
            state = portal.state
            with state.lock:
                state.in_flight += 1
                state.max_in_flight = max(state.max_in_flight, state.in_flight)
            try:
                self._respond()
            except (BrokenPipeError, ConnectionResetError):
                pass
            finally:
                with state.lock:
                    state.in_flight -= 1

        def _hit(self, path: str, status: int) -> None:
            conditional = bool(self.headers.get("If-None-Match") or self.headers.get("If-Modified-Since"))
            with portal.state.lock:
                portal.state.hits.append(Hit(path, self.headers.get("Host"), status, conditional, time.monotonic()))

        def _respond(self) -> None:
            path = unquote(urlsplit(self.path).path)
            fault = portal.config.faults.get(path, {})
            with portal.state.lock:
                count = portal.state.counts[path] = portal.state.counts.get(path, 0) + 1
            if "redirect" in fault:
                self._hit(path, int(fault.get("status", 302)))
                return self._send(int(fault.get("status", 302)), headers={"Location": fault["redirect"]})
            if count <= int(fault.get("fail_first", 0)):
                self._hit(path, int(fault.get("status", 500)))
                return self._send(int(fault.get("status", 500)), b"<h1>Internal Server Error</h1>")
            if "drip" in fault:  # bytes trickle in: each read is quick, the whole never ends in time
                self._hit(path, 200)
                return self._drip(int(fault["drip"]), float(fault.get("interval", 0.2)))
            if "big" in fault:
                if "delay" in fault:
                    time.sleep(float(fault["delay"]))
                self._hit(path, 200)
                return self._big(int(fault["big"]), bool(fault.get("announce", True)))
            found = portal._body(path)
            if found is None:
                self._hit(path, 404)
                return self._send(404, "<h1>404 页面不存在</h1>".encode(), {"Content-Type": "text/html; charset=utf-8"})
            data, mtime = found
            etag = '"' + hashlib.sha256(data).hexdigest()[:20] + '"'
            last_modified = email.utils.formatdate(int(mtime), usegmt=True)
            if self._not_modified(etag, int(mtime)):
                self._hit(path, 304)
                return self._send(304, headers={"ETag": etag, "Last-Modified": last_modified})
            if "delay" in fault:  # a slow page: the full answer is slow, a conditional one is not
                time.sleep(float(fault["delay"]))
            ctype = fault.get("content_type") or TYPES.get(Path(path).suffix.lower()) or (
                mimetypes.guess_type(path)[0] or "text/html")
            self._hit(path, 200)
            self._send(200, data, {"Content-Type": ctype, "ETag": etag, "Last-Modified": last_modified})

        def _not_modified(self, etag: str, mtime: int) -> bool:
            if_none_match = self.headers.get("If-None-Match")
            if if_none_match:
                return etag in [t.strip() for t in if_none_match.split(",")] or if_none_match.strip() == "*"
            since = self.headers.get("If-Modified-Since")
            if since:
                try:
                    return mtime <= email.utils.parsedate_to_datetime(since).timestamp()
                except (TypeError, ValueError):
                    return False
            return False

        def _drip(self, total: int, interval: float) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "application/pdf")
            self.send_header("Content-Length", str(total))
            self.end_headers()
            for _ in range(total):
                self.wfile.write(b"%")
                self.wfile.flush()
                time.sleep(interval)

        def _big(self, total: int, announce: bool) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "application/pdf")
            if announce:
                self.send_header("Content-Length", str(total))
            else:
                self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            chunk = b"%PDF-1.4\n" + b"0" * (64 * 1024 - 9)
            sent = 0
            while sent < total:
                piece = chunk[: min(len(chunk), total - sent)]
                self.wfile.write(piece if announce else b"%x\r\n%s\r\n" % (len(piece), piece))
                sent += len(piece)
            if not announce:
                self.wfile.write(b"0\r\n\r\n")

    return Handler


def main() -> None:
    parser = argparse.ArgumentParser(description="Serve the mock portal (data/mock_portal) on loopback.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args()
    portal = MockPortal(args.host, args.port)
    print(f"mock portal on {portal.base} (Ctrl-C stops it)")
    try:
        portal._server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        portal._server.server_close()


if __name__ == "__main__":
    main()
