"""The registry of expected publishers: which agencies must publish a report for which years.

Read from `data/sources.yaml` (the crawler's list of sources), completed by
`data/expected_publishers.yaml` (the demo corpus's list), or from a file the user imports (YAML, or
CSV with the columns agency[,region][,years]).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from nianbao.normalize.agency import AgencyRecord, resolve_agency

DEFAULT_REGISTRY_FILES = (Path("data/sources.yaml"), Path("data/expected_publishers.yaml"))
# Keys under which a YAML mapping may hold its list of entries.
LIST_KEYS = ("sources", "publishers", "expected", "agencies")
_YEAR_RANGE = re.compile(r"^\s*(\d{4})\s*[-–—~至到]\s*(\d{4})\s*$")


class RegistryError(Exception):
    """A registry file cannot be read; the message names the file and the entry."""


@dataclass(frozen=True)
class ExpectedPublisher:
    agency: str  # the name as the registry writes it
    region: str | None  # 河南省漯河市舞阳县, a division code, or None
    years: tuple[int, ...] | None  # None: expected every year
    origin: str  # the file it came from

    def expected_in(self, year: int) -> bool:
        return self.years is None or year in self.years

    def resolve(self) -> AgencyRecord:
        return resolve_agency(self.agency, self.region)


def parse_years(value: Any, where: str) -> tuple[int, ...] | None:
    """2021, [2021, 2022], "2019-2023", "2021,2022" -> years; empty -> None (every year)."""
    if value is None or value == "":
        return None
    if isinstance(value, int):
        return (value,)
    if isinstance(value, list):
        years: list[int] = []
        for v in value:
            years += list(parse_years(v, where) or ())
        return tuple(sorted(set(years)))
    text = str(value).strip()
    m = _YEAR_RANGE.match(text)
    if m:
        first, last = int(m.group(1)), int(m.group(2))
        if first > last:
            raise RegistryError(f"{where}: the year range {text} runs backwards")
        return tuple(range(first, last + 1))
    parts = [p for p in re.split(r"[,，、;；\s]+", text) if p]
    if parts and all(p.isdigit() and len(p) == 4 for p in parts):
        return tuple(sorted({int(p) for p in parts}))
    raise RegistryError(f"{where}: cannot read the years {text!r} (write 2021, [2021, 2022] or 2019-2023)")


def _entries_from_yaml(path: Path) -> list[dict[str, Any]]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise RegistryError(f"{path}: not valid YAML ({exc})") from None
    if data is None:
        return []
    if isinstance(data, dict):
        for key in LIST_KEYS:
            if isinstance(data.get(key), list):
                data = data[key]
                break
        else:
            raise RegistryError(f"{path}: expected a list of entries (or one under {', '.join(LIST_KEYS)})")
    if not isinstance(data, list):
        raise RegistryError(f"{path}: expected a list of entries with `agency`")
    return [e if isinstance(e, dict) else {"agency": e} for e in data]


def _entries_from_csv(path: Path) -> list[dict[str, Any]]:
    text = path.read_text(encoding="utf-8-sig")
    rows = list(csv.reader(text.splitlines()))
    if not rows:
        return []
    header = [h.strip().lower() for h in rows[0]]
    if "agency" not in header:
        # No header: agency[,region][,years].
        header = ["agency", "region", "years"][: max(len(r) for r in rows)]
    else:
        rows = rows[1:]
    return [dict(zip(header, (c.strip() for c in row), strict=False)) for row in rows if any(row)]


def read_registry_file(path: str | Path) -> list[ExpectedPublisher]:
    path = Path(path)
    if not path.is_file():
        raise RegistryError(f"{path}: no such registry file")
    raw = _entries_from_csv(path) if path.suffix.lower() in (".csv", ".txt") else _entries_from_yaml(path)
    out: list[ExpectedPublisher] = []
    for i, entry in enumerate(raw, start=1):
        name = entry.get("agency") or entry.get("name")
        where = f"{path}, entry {i}"
        if not name:
            continue  # a source without an agency (a listing page) expects no report of its own
        region = entry.get("region")
        out.append(ExpectedPublisher(
            agency=str(name).strip(), region=str(region).strip() if region else None,
            years=parse_years(entry.get("years"), f"{where} ({name})"), origin=str(path)))
    return out


def load_registry(paths: Sequence[str | Path] | None = None) -> list[ExpectedPublisher]:
    """The expected publishers: from `paths`, or by default from data/sources.yaml completed by
    data/expected_publishers.yaml (files that do not exist are skipped). An agency listed twice
    (the same agency_id) keeps its first entry."""
    files: Iterable[Path] = [Path(p) for p in paths] if paths else [p for p in DEFAULT_REGISTRY_FILES if p.is_file()]
    seen: set[str] = set()
    out: list[ExpectedPublisher] = []
    for path in files:
        for entry in read_registry_file(path):
            agency_id = entry.resolve().agency_id
            if agency_id not in seen:
                seen.add(agency_id)
                out.append(entry)
    return out
