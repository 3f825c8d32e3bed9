"""The raw store: every downloaded body kept once, by content hash (data/raw/ab/<sha256>.<ext>),
with a sidecar <file>.json saying where and when it was first seen (read by nianbao.jobs.handoff).
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import asdict, dataclass
from datetime import date, datetime
from pathlib import Path

from nianbao.config import default_raw_dir
from nianbao.fetch.guard import url_extension
from nianbao.fetch.sniff import response_kind

DEFAULT_RAW_DIR = default_raw_dir()
# Extensions kept from the URL as they are (the readers sniff the content anyway).
KNOWN_EXTENSIONS = {"html", "htm", "shtml", "pdf", "doc", "docx", "wps", "jpg", "jpeg", "png", "txt", "ofd"}
FORMAT_EXTENSIONS = {"html": "html", "txt": "txt", "pdf": "pdf", "docx": "docx", "doc": "doc", "wps": "wps",
                     "ofd": "ofd", "json": "json", "xml": "xml"}


@dataclass(frozen=True)
class FirstSeen:
    """The sidecar of a stored file."""

    url: str
    fetched_at: datetime
    name: str
    content_type: str | None = None
    published_on: date | None = None
    title: str | None = None

    def to_json(self) -> str:
        data = asdict(self)
        data["fetched_at"] = self.fetched_at.isoformat()
        data["published_on"] = self.published_on.isoformat() if self.published_on else None
        return json.dumps(data, ensure_ascii=False, indent=1)

    @classmethod
    def from_json(cls, text: str) -> FirstSeen:
        data = json.loads(text)
        data["fetched_at"] = datetime.fromisoformat(data["fetched_at"])
        data["published_on"] = date.fromisoformat(data["published_on"]) if data.get("published_on") else None
        return cls(**data)


@dataclass(frozen=True)
class Stored:
    sha256: str
    path: Path
    is_new: bool  # these bytes were not in the store before


def sidecar_path(path: Path) -> Path:
    return path.with_name(path.name + ".json")


def extension_for(url: str, data: bytes, content_type: str | None = None, name: str | None = None) -> str:
    """The stored file's extension: what the bytes are; the URL's (or the served file name's)
    extension only where it agrees or the bytes cannot tell."""
    fmt = response_kind(data, content_type, None, "/" + name if name else url)
    ext = url_extension("/" + name if name else url)
    if ext in KNOWN_EXTENSIONS and (FORMAT_EXTENSIONS.get(ext) == fmt or (fmt == "html" and ext in ("htm", "shtml"))
                                    or (fmt == "image" and ext in ("jpg", "jpeg", "png"))):
        return ext
    if fmt == "image":
        return "png" if data.startswith(b"\x89PNG") else "jpg" if data.startswith(b"\xff\xd8") else "img"
    return FORMAT_EXTENSIONS.get(fmt, "bin")


class RawStore:
    def __init__(self, root: str | Path = DEFAULT_RAW_DIR) -> None:
        self.root = Path(root)

    def _dir(self, sha256: str) -> Path:
        return self.root / sha256[:2]

    def find(self, sha256: str) -> Path | None:
        folder = self._dir(sha256)
        if not folder.is_dir():
            return None
        for path in sorted(folder.glob(sha256 + ".*")):
            if not path.name.endswith(".json") and not path.name.endswith(".tmp"):
                return path
        return None

    def read(self, sha256: str, hint: str | Path | None = None) -> bytes | None:
        """The stored bytes (hint: where they were last time, to skip the folder scan)."""
        path = Path(hint) if hint and Path(hint).name.startswith(sha256) and Path(hint).is_file() else self.find(sha256)
        try:
            return path.read_bytes() if path else None
        except OSError:
            return None

    def put(self, data: bytes, first_seen: FirstSeen) -> Stored:
        """Keep data (once); the sidecar records the first URL and time it was seen."""
        sha256 = hashlib.sha256(data).hexdigest()
        existing = self.find(sha256)
        if existing is not None:
            return Stored(sha256, existing, False)
        folder = self._dir(sha256)
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{sha256}.{extension_for(first_seen.url, data, first_seen.content_type, first_seen.name)}"
        _write_atomic(sidecar_path(path), first_seen.to_json().encode("utf-8"))
        _write_atomic(path, data)
        return Stored(sha256, path, True)


def read_first_seen(path: str | Path) -> FirstSeen | None:
    try:
        return FirstSeen.from_json(sidecar_path(Path(path)).read_text(encoding="utf-8"))
    except (OSError, ValueError, TypeError, KeyError):
        return None


def _write_atomic(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
