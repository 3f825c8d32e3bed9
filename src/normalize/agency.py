"""Agencies: canonical name -> stable id, level and category (region resolution grows here)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from nianbao.spec import SPEC


@dataclass(frozen=True)
class AgencyRecord:
    agency_id: str
    name: str
    province: str | None = None
    city: str | None = None
    county: str | None = None
    region_code: str | None = None
    level: str | None = None
    category: str | None = None


def agency_id_for(name: str) -> str:
    return "ag_" + hashlib.sha1(name.encode("utf-8")).hexdigest()[:16]


def classify_category(name: str) -> str | None:
    """Department line from the words of the name; government bodies first."""
    categories: dict[str, list[str]] = SPEC.vocab("agency_categories")
    best: tuple[int, str] | None = None
    for category, words in categories.items():
        for word in words:
            if word in name:
                # The government's own office ends with 人民政府办公室; a bureau named after a
                # line (…工业和信息化局) must not be taken for the government because of a region word.
                score = len(word) + (100 if category == "government" and name.endswith(word) else 0)
                if best is None or score > best[0]:
                    best = (score, category)
    return best[1] if best else None


def classify_level(name: str) -> str | None:
    for marker in SPEC.vocab("central_markers"):
        if name.startswith(marker):
            return "central"
    by_suffix: dict[str, str] = SPEC.vocab("level_by_region_suffix")
    # The lowest level whose region word occurs in the name before the body's own words.
    order = ["township", "county", "city", "province"]
    found = {level for suffix, level in by_suffix.items() if suffix in name[:-1]}
    for level in order:
        if level in found:
            return level
    return None


def resolve_agency(name: str) -> AgencyRecord:
    return AgencyRecord(
        agency_id=agency_id_for(name), name=name,
        level=classify_level(name), category=classify_category(name),
    )
