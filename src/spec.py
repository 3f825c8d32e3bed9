"""The official report format (v2019 and v2021) and nianbao's label vocabulary, as data.

Loaded once from `spec_data/template.yaml` (verbatim copy of shared/spec/template.yaml) and
`spec_data/vocabulary.yaml`. This is the only module that knows the Chinese labels; everything
else asks it by canonical code.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

VERSIONS = ("v2019", "v2021")
# Rows of section 三 that exist in only one version; every other row is in both.
V2019_ONLY_ROWS = ("other_handling",)
V2021_ONLY_ROWS = ("other_no_correction", "other_fee_unpaid", "other_misc")
# Which group (merged label cell) each section 三 row sits under; None for top-level rows.
APPLICATION_ROW_GROUPS = {
    "granted": "results", "partly_granted": "results", "results_total": "results",
    **{r: "withheld" for r in (
        "withheld_state_secret", "withheld_prohibited_by_law", "withheld_security_stability",
        "withheld_third_party", "withheld_internal_affairs", "withheld_process_info",
        "withheld_enforcement_file", "withheld_admin_query")},
    **{r: "unavailable" for r in ("unavailable_not_held", "unavailable_needs_creation", "unavailable_unclear")},
    **{r: "rejected" for r in (
        "rejected_petition", "rejected_duplicate", "rejected_publication", "rejected_excessive",
        "rejected_confirmation")},
    "other_handling": "results",
    **{r: "other" for r in V2021_ONLY_ROWS},
}
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
    vocabulary: dict[str, Any]

    # -- convenience views -------------------------------------------------------------
    def application_rows_for(self, version: str) -> list[str]:
        drop = V2021_ONLY_ROWS if version == "v2019" else V2019_ONLY_ROWS
        return [r for r in self.application_rows if r not in drop]

    def active_item(self, version: str, item: str) -> ActiveItem | None:
        for it in self.active[version]:
            if it.item == item:
                return it
        return None

    def row_label(self, row: str) -> str:
        """Label a supervisor recognises: the group label is prefixed for numbered sub-rows."""
        label = self.application_rows[row]
        group = APPLICATION_ROW_GROUPS.get(row)
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
        return f"{status} {self.vocab('ui_labels')['statuses'].get(status, '')}".strip()

    def vocab(self, key: str) -> Any:
        return self.vocabulary[key]


def _read_yaml(name: str) -> dict[str, Any]:
    text = resources.files("nianbao").joinpath("spec_data", name).read_text(encoding="utf-8")
    return yaml.safe_load(text)


@lru_cache(maxsize=1)
def load_spec() -> Spec:
    template = _read_yaml("template.yaml")
    vocabulary = _read_yaml("vocabulary.yaml")
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
        active_item_labels=dict(vocabulary["active_item_labels"]),
        appeal_proceedings=dict(appeals["proceedings"]),
        appeal_outcomes=dict(appeals["outcomes"]),
        rules={r["id"]: RuleSpec(r["id"], r["check"], r["severity"], r.get("name") or r["id"])
               for r in template["rules"]},
        vocabulary=vocabulary,
    )


SPEC = load_spec()
