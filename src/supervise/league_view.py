"""How the league table's values are written: as codes for CSV (a stable interface for other
tools) and in Chinese for people (terminal, Excel, HTML). Labels: ui.yaml `compare`."""

from __future__ import annotations

from datetime import date
from typing import Any

from nianbao.supervise.compliance import labels
from nianbao.supervise.labels import rule_label, rules_label, subject_label
from nianbao.vocabulary import VOCAB

RATE_COLUMNS = frozenset({"disclosure_rate", "not_held_share", "corrected_rate"})
INT_COLUMNS = frozenset({"open_errors", "open_warnings", "received", "handled", "reviews", "lawsuits",
                         "n_expected", "n_published", "n_missing", "n_late", "n_flags", "violations"})


def column_label(column: str) -> str:
    return labels().columns.get(column, column)


def csv_value(column: str, value: Any) -> str:
    """Codes and plain numbers: published/missing, on_time/late/unknown, true/false, 0.5455."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:.4f}"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def percent(value: float | None) -> str:
    return "" if value is None else f"{value * 100:.1f}%"


def display_value(column: str, value: Any) -> str:
    """The value as a supervisor reads it: 已发布, 逾期, 县级, 54.5%."""
    lb = labels()
    if value is None:
        return ""
    if column in RATE_COLUMNS:
        return percent(value)
    if isinstance(value, bool):
        return lb.yes if value else lb.no
    if column == "status":
        return lb.statuses.get(value, value)
    if column == "on_time":
        return lb.on_time.get(value, value)
    if column == "level":
        return lb.levels.get(value, value)
    if column == "category":
        return lb.categories.get(value, value)
    if column == "rule":
        return rule_label(str(value))
    if column == "subject":
        return subject_label(str(value))
    if column == "flag_rules":
        return rules_label(str(value))
    if column == "review_status":
        return VOCAB.ui.terminal.review_statuses.get(value, value)
    if column == "issuer_kind":
        return lb.issuer_kinds.get(value, value)
    if column == "severity":
        return VOCAB.ui.terminal.severities.get(value, value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def people_csv_value(column: str, value: Any) -> str:
    """A CSV cell for people: numbers stay numbers (Excel sums them), codes become words."""
    if value is None:
        return ""
    if column in INT_COLUMNS or isinstance(value, int | float) and not isinstance(value, bool):
        return csv_value(column, value)
    return display_value(column, value)
