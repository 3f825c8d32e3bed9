"""The registry of expected publishers: which agencies must publish a report for which years.

Read from a file the user imports (YAML: a sources list or a publishers list; CSV in UTF-8 or GBK
with the columns agency[,region][,years], under code or Chinese headers, or none) and kept in the
warehouse (`nianbao registry load FILE`, table expected_publishers).
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import yaml

from nianbao.common.text import clean_text
from nianbao.normalize.agency import AgencyRecord, resolve_agency
from nianbao.vocabulary import VOCAB

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


def _decode(path: Path) -> str:
    """A registry CSV saved by Excel: UTF-8 (with or without BOM), or GBK/GB18030 (Chinese Windows)."""
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise RegistryError(f"{path}: not UTF-8 or GBK text; save the sheet as CSV (UTF-8) and try again")


def _header_codes(row: Sequence[str]) -> list[str] | None:
    """The row as header codes, when it is a header (its first cell names the agency column)."""
    words = VOCAB.ui.registry_csv_headers
    by_word = {clean_text(w).lower(): code for code, ws in words.items() for w in ws}
    codes = [by_word.get(clean_text(c).lower()) for c in row]
    if "agency" not in codes:
        return None
    return [c or f"_unknown_{i}" for i, c in enumerate(codes)]


def _entries_from_csv(path: Path) -> list[tuple[int, dict[str, Any]]]:
    rows = list(csv.reader(_decode(path).splitlines()))
    if not rows:
        return []
    header = _header_codes(rows[0])
    first = 2
    if header is None:
        # No header: agency[,region][,years].
        header, first = ["agency", "region", "years"], 1
    else:
        rows = rows[1:]
    out = []
    for number, row in enumerate(rows, start=first):
        if not any(c.strip() for c in row):
            continue
        if len(row) > len(header):
            raise RegistryError(f"{path}, row {number}: {len(row)} columns, but the header has {len(header)} "
                                f"({', '.join(h for h in header if not h.startswith('_'))}); "
                                "quote names that contain a comma")
        out.append((number, dict(zip(header, (c.strip() for c in row), strict=False))))
    return out


def read_registry_file(path: str | Path) -> list[ExpectedPublisher]:
    path = Path(path)
    if not path.is_file():
        raise RegistryError(f"{path}: no such registry file")
    if path.suffix.lower() in (".csv", ".txt"):
        raw = [(f"{path}, row {n}", e) for n, e in _entries_from_csv(path)]
    else:
        raw = [(f"{path}, entry {i}", e) for i, e in enumerate(_entries_from_yaml(path), start=1)]
    out: list[ExpectedPublisher] = []
    for where, entry in raw:
        name = entry.get("agency") or entry.get("name")
        if not name:
            continue  # a source without an agency (a listing page) expects no report of its own
        region = entry.get("region")
        out.append(ExpectedPublisher(
            agency=str(name).strip(), region=str(region).strip() if region else None,
            years=parse_years(entry.get("years"), f"{where} ({name})"), origin=str(path)))
    return out


def load_registry(paths: Sequence[str | Path]) -> list[ExpectedPublisher]:
    """The expected publishers of `paths`, in order. An agency listed twice (the same agency_id)
    keeps its first entry. There is no default: a warehouse keeps its own registry
    (`warehouse_registry`), and the demo's files are only ever loaded into the demo warehouse."""
    files: Iterable[Path] = [Path(p) for p in paths]
    seen: set[str] = set()
    out: list[ExpectedPublisher] = []
    for path in files:
        for entry in read_registry_file(path):
            agency_id = entry.resolve().agency_id
            if agency_id not in seen:
                seen.add(agency_id)
                out.append(entry)
    return out


# ------------------------------------------------------------------------------ in the warehouse

REGISTRY_TABLE = "expected_publishers"


def warehouse_registry(con: duckdb.DuckDBPyConnection) -> list[ExpectedPublisher]:
    """The warehouse's own registry (`nianbao registry load`); [] when none was loaded. Never the
    demo's files: a warehouse expects only the publishers it was given."""
    has = con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = ?",
                      [REGISTRY_TABLE]).fetchone()[0]
    if not has:
        return []
    rows = con.execute(f"SELECT agency, region, years, origin FROM {REGISTRY_TABLE} ORDER BY seq").fetchall()
    return [ExpectedPublisher(agency=a, region=r, years=tuple(json.loads(y)) if y else None, origin=o or "")
            for a, r, y, o in rows]


def save_registry(con: duckdb.DuckDBPyConnection, entries: Sequence[ExpectedPublisher]) -> int:
    """Replace the warehouse's registry with `entries` (one transaction); returns how many."""
    now = datetime.now(UTC).replace(tzinfo=None)
    con.begin()
    try:
        con.execute(f"DELETE FROM {REGISTRY_TABLE}")
        for i, e in enumerate(entries, start=1):
            con.execute(f"INSERT INTO {REGISTRY_TABLE} (seq, agency, region, years, origin, loaded_at) "
                        "VALUES (?, ?, ?, ?, ?, ?)",
                        [i, e.agency, e.region, json.dumps(list(e.years)) if e.years is not None else None,
                         e.origin, now])
        con.commit()
    except BaseException:
        con.rollback()
        raise
    return len(entries)
