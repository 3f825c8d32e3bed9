"""What supervisors read instead of codes: a rule's Chinese name, a flag subject's official label
(and back, so `review` accepts what `show` prints), and a cell's place as 「第3页 表2 第6行 第4列」.

All the words are data: template.yaml (rule names, row/column labels) and the vocabulary
(ui.yaml `supervisor`, rules.yaml `text_figures.labels`). Every renderer (terminal, HTML, Excel, CSV, web) uses
these functions.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from nianbao.common.text import clean_text
from nianbao.spec import SPEC, VERSIONS
from nianbao.vocabulary import VOCAB, SupervisorLabels


def _vocab() -> SupervisorLabels:
    return VOCAB.ui.supervisor


def rule_name(rule: str) -> str:
    """规则名称: the Chinese name of a rule (template.yaml `rules[].name`); the id when unknown."""
    spec = SPEC.rules.get(rule)
    return spec.name if spec else rule


def rule_label(rule: str) -> str:
    """The name with the id, for a table column: 依申请公开表勾稽关系（T3_STATED）."""
    name = rule_name(rule)
    return rule if name == rule else _vocab().rule_with_name.format(name=name, rule=rule)


def rules_label(flag_rules: str) -> str:
    """compliance's flag_rules ("T3_STATED×2、FMT_VERSION") with each rule under its name."""
    out = []
    for part in filter(None, flag_rules.split("、")):
        rule, times, count = part.partition("×")
        out.append(rule_name(rule) + (f"×{count}" if times else ""))
    return "、".join(out)


def _active_row_labels() -> dict[str, str]:
    out: dict[str, str] = {}
    for version in VERSIONS:
        for item in SPEC.active[version]:
            for row in item.rows:
                out.setdefault(row, SPEC.active_label(item.item, row))
    return out


def _one_subject(code: str) -> str | None:
    words = _vocab().subjects
    if code in SPEC.applicants:
        return SPEC.applicant_label(code)
    if code in SPEC.application_rows:
        return SPEC.row_label(code)
    if code in SPEC.appeal_proceedings:
        return SPEC.appeal_label(code)
    if code in words and "{" not in words[code]:
        return words[code]
    if code in SPEC.sections:
        return SPEC.sections[code]
    figures = VOCAB.rules.text_figures.labels
    if code in figures:
        return figures[code]
    active = _active_row_labels()
    if code in active:
        return active[code]
    kind, sep, rest = code.partition(":")
    if sep and kind in words and "{" in words[kind]:
        return words[kind].format(agency=rest)
    return None


def subject_label(subject: str | None) -> str:
    """The official label of a flag's subject: 自然人, 三、本年度办理结果（三）不予公开4.保护第三方合法权益·自然人,
    行政复议. Unknown codes are returned as they are."""
    if not subject:
        return ""
    whole = _one_subject(subject)
    if whole is not None:
        return whole
    parts = subject.split(":")
    labels = [_one_subject(p) for p in parts]
    if all(label is not None for label in labels):
        return _vocab().subject_separator.join(labels)  # type: ignore[arg-type]
    return subject


@lru_cache(maxsize=1)
def _subjects_by_label() -> dict[str, str]:
    codes: set[str] = set(SPEC.applicants) | set(SPEC.application_rows) | set(SPEC.appeal_proceedings)
    codes |= set(SPEC.sections) | set(VOCAB.rules.text_figures.labels) | set(_active_row_labels())
    codes |= {k for k, v in _vocab().subjects.items() if "{" not in v}
    for row in SPEC.application_rows:
        codes |= {f"{row}:{applicant}" for applicant in SPEC.applicants}
    out: dict[str, str] = {}
    for code in sorted(codes):
        out.setdefault(clean_text(subject_label(code)), code)
    return out


def subject_code(text: str, known: Iterable[str] = ()) -> str:
    """Back from what a supervisor typed to the subject code: the code itself, the label `show`
    prints (自然人, 「label (code)」), or a label of one of `known` (the report's own subjects,
    which also covers 与某机关 peers). Returns `text` unchanged when nothing matches."""
    text = text.strip()
    known = list(known)
    if text in known or subject_label(text) != text:
        return text
    if text.endswith(")") and "(" in text:  # 「自然人 (natural_person)」 as older `show` printed it
        inner = text[text.rindex("(") + 1:-1].strip()
        if inner in known or subject_label(inner) != inner:
            return inner
    key = clean_text(text)
    for code in known:
        if clean_text(subject_label(code)) == key:
            return code
    return _subjects_by_label().get(key, text)


def place_label(place: Mapping[str, Any] | Any) -> str:
    """「第3页 表2 第6行 第4列」 for a cell's provenance (a Provenance or its JSON dict): page as
    printed, table/row/column counted from 1 as a reader counts; a text file's line as 原文第N行."""
    def get(key: str) -> Any:
        return place.get(key) if isinstance(place, Mapping) else getattr(place, key, None)

    words = _vocab().evidence
    parts = []
    for key in ("page", "table", "row", "col"):
        value = get(key)
        if value is not None:
            parts.append(getattr(words, key).format(int(value) + (0 if key == "page" else 1)))
    locator = str(get("locator") or "")
    if locator.startswith("line ") and locator[5:].strip().isdigit():
        parts.append(words.line.format(locator[5:].strip()))
    elif not parts and locator:
        parts.append(locator)
    return words.separator.join(parts)


def evidence_label(places: Iterable[Mapping[str, Any] | Any], limit: int | None = None) -> str:
    """Several places, distinct, joined with ；, and 等N处 past `limit`."""
    words = _vocab().evidence
    out: list[str] = []
    for place in places:
        text = place_label(place)
        if text and text not in out:
            out.append(text)
    shown = out if limit is None else out[:limit]
    text = words.list_separator.join(shown)
    return text + (words.more.format(len(out)) if limit is not None and len(out) > limit else "")


# ------------------------------------------------------------------------------ section 二's tables

@dataclass(frozen=True)
class ActiveTable:
    """One 第二十条 item of section 二 as a renderer lays it out: rows and metrics, code -> label."""

    item: str
    rows: dict[str, str]
    metrics: dict[str, str]
    has_cells: bool  # whether the report has any cell of this item


def active_tables(version: str, keys: Iterable[tuple[str, str, str]],
                  row_label: Callable[[str, str], str], metric_label: Callable[[str, str], str]) -> list[ActiveTable]:
    """Section 二 as the report's version (every version, when it is not known) lays it out, in the
    format's order, then any other item the report's cells (item, row, metric) have; each item's
    rows and metrics are the format's, then those of the cells the format does not have (a row of
    the other version), labelled by `row_label(item, row)` and `metric_label(item, metric)`."""
    keys = list(keys)
    versions = [version] if version in VERSIONS else list(VERSIONS)
    items: list[str] = []
    for ver in versions:
        items += [it.item for it in SPEC.active[ver] if it.item not in items]
    items += sorted({k[0] for k in keys} - set(items))
    out = []
    for item in items:
        spec_item = next((SPEC.active_item(ver, item) for ver in versions if SPEC.active_item(ver, item)), None)
        rows = dict(spec_item.rows) if spec_item else {}
        metrics = dict(spec_item.metrics) if spec_item else {}
        for (i, r, m) in keys:
            if i == item:
                rows.setdefault(r, row_label(item, r))
                metrics.setdefault(m, metric_label(item, m))
        out.append(ActiveTable(item, rows, metrics, any(k[0] == item for k in keys)))
    return out
