"""The official report format (v2019 and v2021), as data.

Loaded once from `spec_data/template.yaml` (the format: versions, labels, rules; grown from
shared/spec/template.yaml) and `spec_data/checks.yaml` (how the rules run), with the section 二
item headings of `spec_data/vocabulary/recognition.yaml`. This module knows the official Chinese
labels; everything else asks it by canonical code (nianbao's own words: nianbao.vocabulary).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from nianbao.vocabulary import VOCAB

VERSIONS = ("v2019", "v2021")
APPEAL_PROCEEDINGS = ("review", "litigation_direct", "litigation_after_review")
APPEAL_OUTCOMES = ("upheld", "corrected", "other", "pending", "total")


@dataclass(frozen=True)
class ActiveItem:
    """One 第二十条 item group of section 二 in one version."""

    item: str
    rows: dict[str, str]
    metrics: dict[str, str]
    value_type: str  # int / decimal
    unit: str | None


@dataclass(frozen=True)
class RuleSpec:
    id: str
    check: str
    severity: str
    name: str  # the rule in the supervisors' words (规则名称), shown wherever a flag is
    scope: str  # report (one report, in the worker) or warehouse (after each load): checks.yaml


@dataclass(frozen=True)
class FormatVersion:
    """One official format: the first report year it applies to, the section 三 rows only it has."""

    code: str
    first_year: int
    only_rows: tuple[str, ...]
    encouraged_only_through: int | None  # years up to this one were only encouraged to use it


@dataclass(frozen=True)
class Spec:
    sections: dict[str, str]
    section_variants: dict[str, list[str]]
    # Key words of each section's heading: every inner list must have one word in the heading.
    section_keywords: dict[str, list[list[str]]]
    applicants: dict[str, str]
    applicant_group: str
    application_rows: dict[str, str]
    application_groups: dict[str, str]
    header_note: str
    active: dict[str, tuple[ActiveItem, ...]]
    active_item_labels: dict[str, str]
    appeal_proceedings: dict[str, str]
    appeal_outcomes: dict[str, str]
    rules: dict[str, RuleSpec]
    rule_order: tuple[str, ...]  # the order rules run and their flags are numbered in
    # FMT_VERSION: version_evidence parts laid out as this version that are not held against a report.
    tolerated_version_parts: dict[str, tuple[str, ...]]
    versions: dict[str, FormatVersion]
    application_row_groups: dict[str, str]  # row -> the group (merged label cell) it sits under

    # -- convenience views -------------------------------------------------------------
    def application_rows_for(self, version: str) -> list[str]:
        drop = {r for v in self.versions.values() if v.code != version for r in v.only_rows}
        return [r for r in self.application_rows if r not in drop]

    def version_for_year(self, year: int) -> str:
        """The format a report for `year` must use: the latest version whose first year it reached."""
        by_start = sorted(self.versions.values(), key=lambda v: v.first_year)
        reached = [v for v in by_start if v.first_year <= year]
        return (reached[-1] if reached else by_start[0]).code

    def first_format_year(self) -> int:
        """Reports for years before this one follow the format before the 2019 regulations."""
        return min(v.first_year for v in self.versions.values())

    def only_encouraged(self, year: int) -> bool:
        """Whether the format was only encouraged for reports of `year` (deviations are info)."""
        return any(v.encouraged_only_through is not None and year <= v.encouraged_only_through
                   for v in self.versions.values())

    def active_item(self, version: str, item: str) -> ActiveItem | None:
        for it in self.active[version]:
            if it.item == item:
                return it
        return None

    def row_label(self, row: str) -> str:
        """Label a supervisor recognises: the group label is prefixed for numbered sub-rows."""
        label = self.application_rows[row]
        group = self.application_row_groups.get(row)
        if group and group != "results":
            return f"{self.application_groups[group]}{label}"
        return label

    def applicant_label(self, applicant: str) -> str:
        label = self.applicants[applicant]
        if applicant not in ("natural_person", "total"):
            return f"{self.applicant_group}·{label}"
        return label

    def appeal_label(self, proceeding: str, outcome: str | None = None) -> str:
        label = self.appeal_proceedings[proceeding]
        return label if outcome is None else f"{label}·{self.appeal_outcomes[outcome]}"

    def active_label(self, item: str, row: str, metric: str | None = None) -> str:
        row_label = ""
        metric_label = ""
        for version in VERSIONS:
            it = self.active_item(version, item)
            if it and row in it.rows:
                row_label = it.rows[row]
                if metric in it.metrics:
                    metric_label = it.metrics[metric]
        parts = [self.active_item_labels.get(item, item), row_label]
        if metric_label:
            parts.append(metric_label)
        return "·".join(p for p in parts if p)

    def status_label(self, status: str) -> str:
        """A document's status code with its name in the supervisors' words ("ok 正常")."""
        return f"{status} {VOCAB.ui.terminal.statuses.get(status, '')}".strip()


def _read_yaml(name: str) -> dict[str, Any]:
    text = resources.files("nianbao").joinpath("spec_data", name).read_text(encoding="utf-8")
    return yaml.safe_load(text)


def _rule_order(template: dict[str, Any], checks: dict[str, Any]) -> dict[str, str]:
    """Rule id -> scope, in checks.yaml's order; every rule of template.yaml exactly once."""
    order = {rule: scope for scope, rules in checks["rule_order"].items() for rule in rules}
    listed = [rule for rules in checks["rule_order"].values() for rule in rules]
    known = [r["id"] for r in template["rules"]]
    if len(listed) != len(order) or sorted(order) != sorted(known):
        raise ValueError(f"checks.yaml rule_order must list each rule of template.yaml once: {listed} vs {known}")
    return order


@lru_cache(maxsize=1)
def load_spec() -> Spec:
    template = _read_yaml("template.yaml")
    checks = _read_yaml("checks.yaml")
    active: dict[str, tuple[ActiveItem, ...]] = {}
    for version in VERSIONS:
        active[version] = tuple(
            ActiveItem(
                item=entry["item"],
                rows=dict(entry["rows"]),
                metrics=dict(entry["metrics"]),
                value_type=entry.get("type", "int"),
                unit=entry.get("unit"),
            )
            for entry in template["active"][version]
        )
    apps = template["applications"]
    appeals = template["appeals"]
    scopes = _rule_order(template, checks)
    return Spec(
        sections=dict(template["sections"]),
        section_variants={k: list(v) for k, v in template["section_variants_seen"].items()},
        section_keywords={k: [list(words) for words in v] for k, v in template["section_keywords"].items()},
        applicants=dict(apps["applicants"]),
        applicant_group=apps["applicant_group"]["legal_person_or_org"],
        application_rows=dict(apps["rows"]),
        application_groups=dict(apps["group_labels"]),
        header_note=apps["header_note"],
        active=active,
        active_item_labels=dict(VOCAB.recognition.active_item_labels),
        appeal_proceedings=dict(appeals["proceedings"]),
        appeal_outcomes=dict(appeals["outcomes"]),
        rules={r["id"]: RuleSpec(r["id"], r["check"], r["severity"], r.get("name") or r["id"], scopes[r["id"]])
               for r in template["rules"]},
        rule_order=tuple(scopes),
        tolerated_version_parts={k: tuple(v) for k, v in checks["tolerated_version_parts"].items()},
        versions={code: FormatVersion(code, v["first_year"], tuple(v["only_rows"]), v.get("encouraged_only_through"))
                  for code, v in template["versions"].items()},
        application_row_groups={row: group for group, rows in apps["row_groups"].items() for row in rows},
    )


SPEC = load_spec()
# Rows of section 三 that exist in only one version; every other row is in both.
V2019_ONLY_ROWS = SPEC.versions["v2019"].only_rows
V2021_ONLY_ROWS = SPEC.versions["v2021"].only_rows
# Which group (merged label cell) each section 三 row sits under; top-level rows are not in it.
APPLICATION_ROW_GROUPS = SPEC.application_row_groups
