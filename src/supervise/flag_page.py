"""`nianbao show AGENCY YEAR --html FILE`: one report as a self-contained HTML page (inline CSS and
a few lines of inline JavaScript, nothing loaded from the network) with its section 二/三/四
tables under the official labels, the overview text, and every flag; the cells and paragraphs a
flag rests on are highlighted, and clicking a flag picks out its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from html import escape
from pathlib import PurePosixPath
from typing import Any

from nianbao.extract.model import Provenance
from nianbao.normalize.checks import RULES, SCOPE_REPORT
from nianbao.normalize.model import CheckResult, NarrativeBlock
from nianbao.normalize.notes import null_reason_text, structure_note_text
from nianbao.spec import APPEAL_OUTCOMES, APPEAL_PROCEEDINGS, SPEC, VERSIONS
from nianbao.supervise.labels import active_tables, place_label, rule_name, subject_label
from nianbao.vocabulary import VOCAB

_SEVERITY_ORDER = {"error": 0, "warn": 1, "info": 2}

CSS = """
body{font-family:"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:1.5em;color:#222;max-width:1200px}
h1{font-size:1.3em} h2{font-size:1.1em;margin-top:1.6em;border-bottom:1px solid #ccc}
table{border-collapse:collapse;margin:.6em 0;font-size:.85em}
td,th{border:1px solid #bbb;padding:2px 6px;text-align:right}
th,td.label{text-align:left;background:#f6f6f6;font-weight:normal}
td.flag-error{background:#f8c9c4;outline:2px solid #c0392b}
td.flag-warn{background:#fbe7b5;outline:2px solid #d68910}
td.flag-info{background:#d6eaf8}
p.flag-error{background:#f8c9c4} p.flag-warn{background:#fbe7b5} p.flag-info{background:#d6eaf8}
.picked{box-shadow:0 0 0 3px #2e86c1 inset}
dl.head{display:grid;grid-template-columns:max-content auto;gap:2px 12px} dl.head dt{font-weight:bold}
ol.flags li{margin:.5em 0;cursor:pointer} ol.flags li:hover{background:#f2f2f2}
.sev{display:inline-block;min-width:3.5em;font-weight:bold}
.sev-error{color:#c0392b} .sev-warn{color:#b9770e} .sev-info{color:#2471a3}
.where{color:#666;font-size:.85em} .review{color:#1e8449;font-weight:bold}
.dismissed{opacity:.55}
p.text{margin:.3em 0;line-height:1.6}
"""

SCRIPT = """
document.querySelectorAll('ol.flags li').forEach(function(li){
  li.addEventListener('click', function(){
    document.querySelectorAll('.picked').forEach(function(e){e.classList.remove('picked');});
    (li.dataset.cells||'').split(' ').forEach(function(id){
      var e=document.getElementById(id); if(e){e.classList.add('picked');}
    });
    var first=document.getElementById((li.dataset.cells||'').split(' ')[0]);
    if(first){first.scrollIntoView({block:'center'});}
  });
});
"""


_UI = VOCAB.ui.terminal


def _number(value: Any) -> str:
    if value is None:
        return ""
    try:
        return format(value.normalize(), "f")
    except AttributeError:
        return str(value)


def _basename(path: str) -> str:
    return PurePosixPath((path or "").replace("\\", "/")).name


def _coords(p: Provenance) -> tuple[Any, ...]:
    return (p.locator, p.page, p.table, p.row, p.col)


class _Cells:
    """The page's cells and paragraphs by the place they came from, to match flag evidence."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.ids: dict[tuple[Any, ...], str] = {}
        self.severity: dict[str, str] = {}

    def add(self, element_id: str, provenance: Provenance | None) -> None:
        if provenance is not None:
            self.ids.setdefault(_coords(provenance), element_id)

    def mine(self, p: Provenance, scope: str) -> bool:
        """Evidence in this report's document (a cross-year flag also cites last year's)."""
        if p.document in ("", self.source) or _basename(p.document) == _basename(self.source):
            return True
        return scope == SCOPE_REPORT  # the same file read from another path

    def ids_of(self, flag: CheckResult) -> list[str]:
        scope = RULES[flag.rule].scope if flag.rule in RULES else SCOPE_REPORT
        out = []
        for p in flag.evidence:
            element = self.ids.get(_coords(p)) if self.mine(p, scope) else None
            if element and element not in out:
                out.append(element)
        return out


def _cell(cells: _Cells, element_id: str, value: Any, unit: str | None = None, raw: str | None = None,
          note: str | None = None, provenance: Provenance | None = None) -> str:
    cells.add(element_id, provenance)
    title = []
    if provenance is not None:
        title.append(place_label(provenance))
    if raw is not None and raw.strip() and raw.strip() != _number(value):
        title.append(f"原文 “{raw.strip()}”")
    if note:
        title.append(note)
    text = _number(value)
    if text and unit:
        text = f"{text} {unit}"
    css = f' class="{{flag:{element_id}}}"'
    return f'<td id="{element_id}"{css} title="{escape("；".join(title))}">{escape(text)}</td>'


def _other_version_label(item: str, code: str, kind: str) -> str:
    for version in VERSIONS:
        spec_item = SPEC.active_item(version, item)
        labels = getattr(spec_item, kind) if spec_item else {}
        if code in labels:
            return labels[code]
    return code


def _active_tables(view: Any, cells: _Cells) -> str:
    by_key = {(v.item, v.row, v.metric): v for v in view.active}
    out = []
    for layout in active_tables(view.header.template_version, by_key,
                                lambda item, row: _other_version_label(item, row, "rows"),
                                lambda item, metric: _other_version_label(item, metric, "metrics")):
        item, rows, metrics = layout.item, layout.rows, layout.metrics
        if not layout.has_cells:  # an item the report does not have (or not of its version)
            continue
        head = "".join(f"<th>{escape(label)}</th>" for label in metrics.values())
        body = []
        for row, row_label in rows.items():
            tds = []
            for metric in metrics:
                v = by_key.get((item, row, metric))
                element = f"a-{item}-{row}-{metric}"
                tds.append(_cell(cells, element, v.value, v.unit if v and v.unit and v.unit not in
                                 metrics[metric] else None, v.raw, null_reason_text(v, with_raw=False), v.provenance) if v else "<td></td>")
            body.append(f'<tr><td class="label">{escape(row_label)}</td>{"".join(tds)}</tr>')
        out.append(f"<h3>{escape(SPEC.active_item_labels.get(item, item))}</h3><table><tr>"
                   f"<th>{escape(VOCAB.recognition.active_content_header)}</th>{head}</tr>{''.join(body)}</table>")
    return "".join(out) or f"<p>{escape(_UI.no_data)}</p>"


def _applications_table(view: Any, cells: _Cells) -> str:
    if not view.applications:
        return f"<p>{escape(_UI.no_data)}</p>"
    by_key = {(v.row, v.applicant): v for v in view.applications}
    version = view.header.template_version
    rows = SPEC.application_rows_for(version) if version in VERSIONS else list(SPEC.application_rows)
    rows = [r for r in rows if any(k[0] == r for k in by_key)]
    head = "".join(f"<th>{escape(SPEC.applicant_label(a))}</th>" for a in SPEC.applicants)
    body = []
    for row in rows:
        tds = []
        for applicant in SPEC.applicants:
            v = by_key.get((row, applicant))
            tds.append(_cell(cells, f"p-{row}-{applicant}", v.value, None, v.raw, null_reason_text(v, with_raw=False), v.provenance)
                       if v else "<td></td>")
        body.append(f'<tr><td class="label">{escape(SPEC.row_label(row))}</td>{"".join(tds)}</tr>')
    return (f"<table><tr><th>{escape(SPEC.header_note)}</th>{head}</tr>{''.join(body)}</table>")


def _appeals_table(view: Any, cells: _Cells) -> str:
    if not view.appeals:
        return f"<p>{escape(_UI.no_data)}</p>"
    by_key = {(v.proceeding, v.outcome): v for v in view.appeals}
    head = "".join(f"<th>{escape(SPEC.appeal_outcomes[o])}</th>" for o in APPEAL_OUTCOMES)
    body = []
    for proceeding in APPEAL_PROCEEDINGS:
        tds = []
        for outcome in APPEAL_OUTCOMES:
            v = by_key.get((proceeding, outcome))
            tds.append(_cell(cells, f"q-{proceeding}-{outcome}", v.value, None, v.raw, null_reason_text(v, with_raw=False), v.provenance)
                       if v else "<td></td>")
        body.append(f'<tr><td class="label">{escape(SPEC.appeal_label(proceeding))}</td>{"".join(tds)}</tr>')
    return f"<table><tr><th></th>{head}</tr>{''.join(body)}</table>"


def _narrative(blocks: Sequence[NarrativeBlock], cells: _Cells, first: int = 1, headings: bool = True) -> str:
    out = []
    current = None
    for i, block in enumerate(blocks, start=first):
        if block.section != current:
            current = block.section
            title = SPEC.sections.get(current, "")
            if title and headings:
                out.append(f"<h3>{escape(title)}</h3>")
        element = f"t-{i}"
        cells.add(element, block.provenance)
        out.append(f'<p id="{element}" class="text {{flag:{element}}}">{escape(block.text)}</p>')
    return "".join(out)


@dataclass(frozen=True)
class FlagItem:
    """One flag as the page shows it: in the supervisor's words, with the ids of its cells."""

    seq: int
    rule: str
    rule_name: str
    severity: str
    severity_label: str
    subject: str
    subject_label: str
    message: str
    where: str  # 「第3页 表2 第6行 第4列」；…
    cell_ids: tuple[str, ...]
    review_status: str | None
    review_note: str | None

    @property
    def review_label(self) -> str:
        return _UI.review_statuses.get(self.review_status, self.review_status or "") if self.review_status else ""


@dataclass(frozen=True)
class FlagPage:
    """The parts of a report's page: its header, its flags (errors first) and the HTML of its
    sections with the flagged cells highlighted (class flag-error / flag-warn / flag-info)."""

    title: str
    head: tuple[tuple[str, str], ...]
    flags: tuple[FlagItem, ...]
    body: str
    # The report's structure notes: (section label, the note in Chinese, where it is in the document).
    structure: tuple[tuple[str, str, str], ...] = ()


def flag_page_parts(view: Any, narrative: Sequence[NarrativeBlock],
                    reviews: dict[int, tuple[str, str | None]], seqs: Sequence[int] | None = None) -> FlagPage:
    """`view` as nianbao.warehouse.queries.report_view returns it; `reviews`: seq -> (status, note);
    `seqs`: each flag's seq, in the order of view.flags."""
    h = view.header
    cells = _Cells(h.source or "")
    opening = [b for b in narrative if b.section in ("preamble", "overview")]
    closing = [b for b in narrative if b.section not in ("preamble", "overview")]
    sections = [
        (SPEC.sections["overview"], _narrative(opening, cells, headings=False)),
        (SPEC.sections["active"], _active_tables(view, cells)),
        (SPEC.sections["applications"], _applications_table(view, cells)),
        (SPEC.sections["appeals"], _appeals_table(view, cells)),
        (SPEC.sections["problems"] + " / " + SPEC.sections["other_matters"],
         _narrative(closing, cells, first=len(opening) + 1)),
    ]
    severity_of: dict[str, str] = {}
    items = []
    seqs = list(seqs) if seqs is not None else list(range(1, len(view.flags) + 1))
    for flag, seq in sorted(zip(view.flags, seqs, strict=True),
                            key=lambda fs: (_SEVERITY_ORDER.get(fs[0].severity, 9), fs[1])):
        status, note = reviews.get(seq, (None, None))
        ids = cells.ids_of(flag)
        if status != "dismissed":
            for element in ids:
                known = severity_of.get(element)
                if known is None or _SEVERITY_ORDER.get(flag.severity, 9) < _SEVERITY_ORDER.get(known, 9):
                    severity_of[element] = flag.severity
        scope = RULES[flag.rule].scope if flag.rule in RULES else SCOPE_REPORT
        where = "；".join(place_label(p) + ("" if cells.mine(p, scope) else f"（{_basename(p.document)}）")
                         for p in flag.evidence)
        items.append(FlagItem(
            seq=seq, rule=flag.rule, rule_name=rule_name(flag.rule), severity=flag.severity,
            severity_label=_UI.severities.get(flag.severity, flag.severity), subject=flag.subject,
            subject_label=subject_label(flag.subject), message=flag.message, where=where, cell_ids=tuple(ids),
            review_status=status, review_note=note))
    body = "".join(f"<h2>{escape(title)}</h2>{html}" for title, html in sections)
    for element in set(cells.ids.values()):
        css = f"flag-{severity_of[element]}" if element in severity_of else ""
        body = body.replace(f"{{flag:{element}}}", css)
    body = body.replace(' class=""', "").replace(' class="text "', ' class="text"')
    head = (
        (_UI.agency, h.agency or ""), (_UI.year, str(h.year or "")), (_UI.title, h.title or ""),
        (_UI.template_version, h.template_version or ""),
        (_UI.version, (f"{view.version_number}/{len(view.versions)} "
                         f"({_UI.current if h.is_current else _UI.superseded})")),
        (_UI.document, f"{h.source or ''} ({h.format or ''})"), (_UI.report_id, h.report_id),
        (_UI.published_on, h.published_on.isoformat() if h.published_on else ""),
        (_UI.signed_on, h.signed_on.isoformat() if h.signed_on else ""),
    )
    title = h.title or f"{h.agency or ''} {h.year or ''} — {_UI.flags}"
    structure = tuple((SPEC.sections.get(n.section, n.section), structure_note_text(n),
                       place_label(n.provenance) if n.provenance else "")
                      for n in getattr(view, "structure", ()))
    return FlagPage(title=title, head=tuple((k, v) for k, v in head if v), flags=tuple(items), body=body,
                    structure=structure)


def structure_list_html(structure: Sequence[tuple[str, str, str]]) -> str:
    items = "".join(f"<li>「{escape(section)}」{escape(text)}"
                    + (f' <span class="where">（{escape(where)}）</span>' if where else "") + "</li>"
                    for section, text, where in structure)
    return f'<ul class="structure">{items}</ul>'


def render_flag_page(view: Any, narrative: Sequence[NarrativeBlock],
                     reviews: dict[int, tuple[str, str | None]], seqs: Sequence[int] | None = None) -> str:
    """The page for one report as one self-contained HTML file (`nianbao show --html`)."""
    page = flag_page_parts(view, narrative, reviews, seqs)
    flag_items = []
    for item in page.flags:
        review = ""
        if item.review_status:
            note = ("：" + escape(item.review_note)) if item.review_note else ""
            review = f' <span class="review">[{escape(item.review_label)}{note}]</span>'
        flag_items.append(
            f'<li data-cells="{" ".join(item.cell_ids)}"{" class=dismissed" if item.review_status == "dismissed" else ""}>'
            f'<span class="sev sev-{escape(item.severity)}">{escape(item.severity_label)}</span> '
            f"<b>{escape(item.rule_name)}</b> <span class=where>{escape(item.rule)}</span> "
            f"{escape(item.subject_label)}{review}<br>{escape(item.message)}"
            f'<br><span class="where">{escape(_UI.evidence)}：{escape(item.where or "—")}</span></li>')
    head_html = "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in page.head)
    flags_html = (f"<ol class=flags>{''.join(flag_items)}</ol>" if flag_items else f"<p>{escape(_UI.no_flags)}</p>")
    if page.structure:
        flags_html += f"<h2>{escape(_UI.structure)}</h2>" + structure_list_html(page.structure)
    generated = datetime.now().strftime("%Y-%m-%d %H:%M")
    return (f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{escape(page.title)}</title>'
            f"<style>{CSS}</style></head><body><h1>{escape(page.title)}</h1>"
            f'<dl class="head">{head_html}</dl>'
            f"<h2>{escape(_UI.flags)} ({len(page.flags)})</h2>{flags_html}{page.body}"
            f'<p class="where">nianbao · {escape(generated)}</p><script>{SCRIPT}</script></body></html>')
