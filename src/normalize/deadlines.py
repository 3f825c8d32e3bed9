"""Publication deadlines of annual reports (《政府信息公开条例》第四十九条), who a report's issuer is,
and whether a report met its deadline. The dates, their legal basis and the issuer words are data:
rules.yaml `publication_deadlines`, agencies.yaml `issuer`.

A department publishes by 31 January of the next year; a government's own report (人民政府, or
its office reporting for it, or a zone's 管委会 reporting for the whole zone) by 31 March. The
issuer is read from the report itself (`classify_issuer`); when it cannot be told, the kind is
`other` and TIMELINESS only informs. The TIMELINESS rule and `nianbao compare` use these functions.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from nianbao.common.text import clean_text
from nianbao.extract.model import Provenance
from nianbao.normalize.agency import AgencyRecord, parse_agency_name, resolve_agency
from nianbao.normalize.model import IssuerKind, NarrativeBlock
from nianbao.vocabulary import VOCAB

ON_TIME, LATE, UNKNOWN = "on_time", "late", "unknown"
DEPARTMENT, GOVERNMENT, TOWNSHIP = "department", "government", "township"

_ISSUER = VOCAB.agencies.issuer
_BASIS = VOCAB.messages.issuer_basis
_ZONE_BODIES = sorted(_ISSUER.zone_bodies, key=len, reverse=True)
_ZONE_NAMES = sorted(_ISSUER.zone_names, key=len, reverse=True)
_DEPARTMENT_SUFFIXES = _ISSUER.department_suffixes
_WHOLE_AREA = re.compile(_ISSUER.whole_area_pattern)
_GOVERNMENT_BODIES = VOCAB.agencies.government_report_bodies
# The sections whose text says what the report covers (its introduction and 一、总体情况).
_SCOPE_SECTIONS = ("preamble", "overview")
_MAX_QUOTE = 60
_SENTENCES = re.compile(r"[^。；;！!？?]+[。；;！!？?]?")
# Deadline kind of each issuer kind. `other` is held to the earliest date, and never accused.
_DEADLINE_KINDS = {IssuerKind.GOVERNMENT: GOVERNMENT, IssuerKind.DEPARTMENT: DEPARTMENT,
                   IssuerKind.TOWNSHIP: TOWNSHIP, IssuerKind.OTHER: DEPARTMENT}


@dataclass(frozen=True)
class Deadline:
    due: date  # the last day on which publishing is on time
    kind: str  # department / government / township
    basis: str  # the rule, in words a supervisor can quote


@dataclass(frozen=True)
class Issuer:
    """Who issues a report, and the words of the report that say so (`basis`, in Chinese), with
    where they are printed when they are a sentence of the text."""

    kind: IssuerKind
    basis: str
    provenance: Provenance | None = None

    @property
    def certain(self) -> bool:
        return self.kind != IssuerKind.OTHER

    @property
    def deadline_kind(self) -> str:
        return _DEADLINE_KINDS[self.kind]


def _zone_of(name: str) -> str | None:
    """The zone a name is of (平潭综合实验区 in 平潭综合实验区管理委员会), or None."""
    for word in _ZONE_NAMES:
        i = name.rfind(word)
        if i >= 0:
            return name[: i + len(word)]
    return None


def _whole_area_quote(narrative: Iterable[NarrativeBlock]) -> tuple[str, Provenance | None] | None:
    """The sentence of the introduction or overview that speaks of the whole area, as printed
    (cut to 60 characters around the words), and where it is."""
    for block in narrative:
        if block.section not in _SCOPE_SECTIONS:
            continue
        for sentence in _SENTENCES.findall(block.text):
            m = _WHOLE_AREA.search(clean_text(sentence))
            if m is None:
                continue
            sentence = sentence.strip()
            if len(sentence) <= _MAX_QUOTE:
                return sentence, block.provenance
            start = max(0, min(sentence.find(m.group(0)) - _MAX_QUOTE // 3, len(sentence) - _MAX_QUOTE))
            quote = sentence[start: start + _MAX_QUOTE]
            return ("…" if start else "") + quote + ("…" if start + _MAX_QUOTE < len(sentence) else ""), \
                block.provenance
    return None


def classify_issuer(agency: AgencyRecord | str | None, title_agency: str | None = None,
                    narrative: Iterable[NarrativeBlock] = ()) -> Issuer:
    """The issuer kind of a report from its agency (as read), the agency its title names and its
    introduction and overview: government (人民政府 or its office; a zone reporting for the whole
    zone), township, department (a body with a department line, 局/委), or other (cannot tell)."""
    if not agency:
        return Issuer(IssuerKind.OTHER, _BASIS["no_agency"])
    record = resolve_agency(agency) if isinstance(agency, str) else agency
    name = clean_text(agency) if isinstance(agency, str) else record.name  # as the report writes it
    body = parse_agency_name(name).body
    if record.category == "government" and record.level == "township":
        return Issuer(IssuerKind.TOWNSHIP, _BASIS["township"].format(name=name))
    if record.level == "central" or any(body.endswith(b) for b in _GOVERNMENT_BODIES):
        return Issuer(IssuerKind.GOVERNMENT, _BASIS["government_body"].format(name=name))
    is_zone = any(body.endswith(b) for b in _ZONE_BODIES) or body.endswith(tuple(_ZONE_NAMES))
    zone = _zone_of(name) if is_zone else None
    if zone is not None:
        title_name = clean_text(title_agency or "")
        if title_name and title_name.endswith(tuple(_ZONE_NAMES)):
            return Issuer(IssuerKind.GOVERNMENT, _BASIS["zone_title"].format(zone=title_name))
        quote = _whole_area_quote(narrative)
        if quote is not None:
            return Issuer(IssuerKind.GOVERNMENT, _BASIS["zone_whole_area"].format(name=name, zone=zone,
                                                                                  quote=quote[0]), quote[1])
        return Issuer(IssuerKind.OTHER, _BASIS["zone_uncertain"].format(name=name, zone=zone))
    if record.category not in (None, "government") or (record.category is None and body.endswith(_DEPARTMENT_SUFFIXES)):
        return Issuer(IssuerKind.DEPARTMENT, _BASIS["department"].format(name=name))
    return Issuer(IssuerKind.OTHER, _BASIS["unknown_body"].format(name=name))


def deadline_kind(agency: AgencyRecord | str) -> str:
    """department, government (the government's own report, also when its office publishes it),
    or township (乡镇/街道, whose dates local notices set), from the agency alone (a registry
    entry without a report); a kind that cannot be told is held to the department's date."""
    return classify_issuer(agency).deadline_kind


def report_timeliness(issuer_kind: str | None, year: int, published_on: date | None,
                      signed_on: date | None) -> tuple[Deadline, str]:
    """The deadline of a stored report by its issuer kind, and on_time / late / unknown: a report
    whose kind cannot be told is never called late (unknown), only on time by the earliest date."""
    try:
        kind = IssuerKind(issuer_kind) if issuer_kind else IssuerKind.OTHER
    except ValueError:
        kind = IssuerKind.OTHER
    deadline = deadline_for(_DEADLINE_KINDS[kind], year)
    verdict = timeliness(published_on, deadline, signed_on)
    if verdict == LATE and kind == IssuerKind.OTHER:
        verdict = UNKNOWN
    return deadline, verdict


def deadline_for(kind: str, year: int) -> Deadline:
    """The deadline of a `kind` (department / government / township) for the report on `year`."""
    rule = VOCAB.rules.publication_deadlines[kind]
    return Deadline(due=date(year + 1, rule.month, rule.day), kind=kind, basis=rule.basis)


def publication_deadline(agency: AgencyRecord | str, year: int) -> Deadline:
    """The deadline of the report on `year`, published in year + 1."""
    return deadline_for(deadline_kind(agency), year)


def timeliness(published_on: date | None, deadline: Deadline | date, signed_on: date | None = None) -> str:
    """on_time / late / unknown. Without a publication date the answer is unknown, unless the
    report was signed (成文) after the deadline: it cannot have been published before it was signed."""
    due = deadline.due if isinstance(deadline, Deadline) else deadline
    if published_on is not None:
        return ON_TIME if published_on <= due else LATE
    if signed_on is not None and signed_on > due:
        return LATE
    return UNKNOWN
