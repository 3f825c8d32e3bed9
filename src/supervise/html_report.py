"""The offline HTML report of `nianbao compare --format html`: one self-contained file (inline CSS,
SVG charts drawn in Python, a little inline JavaScript to sort and filter the tables); it loads
nothing from the network."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from html import escape

from nianbao.supervise.charts import COLORS, Bar, Segment, hbar_chart, heatmap
from nianbao.supervise.compliance import (
    FLAG_COLUMNS,
    LEAGUE_COLUMNS,
    REGION_COLUMNS,
    ComplianceRow,
    FlagRow,
    RegionYear,
    labels,
    league_counts,
    region_summary,
)
from nianbao.supervise.league_view import INT_COLUMNS, RATE_COLUMNS, column_label, display_value, percent

# League-table columns shown in the report (the CSV has them all).
HTML_LEAGUE_COLUMNS = tuple(c for c in LEAGUE_COLUMNS if c not in ("province", "city", "county", "report_id",
                                                                   "signed_on"))
HTML_FLAG_COLUMNS = tuple(c for c in FLAG_COLUMNS if c != "review_status")
MAX_BARS = 40


def flags_by_agency_chart(rows: Sequence[ComplianceRow]) -> str:
    lb = labels()
    totals: dict[str, tuple[int, int]] = {}
    for r in rows:
        if r.open_errors or r.open_warnings:
            e, w = totals.get(r.agency, (0, 0))
            totals[r.agency] = (e + (r.open_errors or 0), w + (r.open_warnings or 0))
    ranked = sorted(totals.items(), key=lambda kv: (-(kv[1][0] + kv[1][1]), -kv[1][0], kv[0]))[:MAX_BARS]
    bars = [Bar(label=name, key=name, segments=(
        Segment(lb.columns["open_errors"], e, COLORS["error"]),
        Segment(lb.columns["open_warnings"], w, COLORS["warn"]))) for name, (e, w) in ranked]
    # Ticks at whole numbers: the axis runs to the next multiple of 4.
    top = max([e + w for _, (e, w) in ranked] + [1])
    return hbar_chart("flags_by_agency", lb.charts["flags_by_agency"], bars, value_format=lambda v: f"{v:g}",
                      max_value=float(-(-top // 4) * 4))


def rate_by_region_chart(rows: Sequence[ComplianceRow]) -> str:
    lb = labels()
    pooled: dict[str, list[int]] = {}
    for r in rows:
        if r.disclosure_rate is not None and r.disclosed is not None and r.handled:
            acc = pooled.setdefault(r.region or "—", [0, 0])
            acc[0] += r.disclosed
            acc[1] += r.handled
    bars = [Bar(label=region, key=region, segments=(Segment(lb.columns["disclosure_rate"], d / h, COLORS["bar"]),))
            for region, (d, h) in sorted(pooled.items()) if h]
    return hbar_chart("rate_by_region", lb.charts["rate_by_region"], bars,
                      value_format=lambda v: percent(v), max_value=1.0)


def violations_heatmap(rows: Sequence[ComplianceRow]) -> str:
    groups = region_summary(rows)
    regions = sorted({g.region for g in groups})
    years = [str(y) for y in sorted({g.year for g in groups})]
    values = {(g.region, str(g.year)): float(g.violations) for g in groups}
    return heatmap("violations_heatmap", labels().charts["heatmap"], regions, years, values)


def charts(rows: Sequence[ComplianceRow]) -> list[str]:
    return [flags_by_agency_chart(rows), rate_by_region_chart(rows), violations_heatmap(rows)]


# ------------------------------------------------------------------------------ tables

def _cell_class(column: str, value: object) -> str:
    classes = []
    if column in INT_COLUMNS or column in RATE_COLUMNS:
        classes.append("num")
    if column == "status" and value == "missing":
        classes.append("bad")
    if column == "on_time":
        classes.append({"late": "bad", "unknown": "muted"}.get(str(value), ""))
    if column == "format_ok" and value is False:
        classes.append("warn")
    if column == "open_errors" and value:
        classes.append("bad")
    if column == "open_warnings" and value:
        classes.append("warn")
    if column == "message":
        classes.append("wrap")
    return " ".join(c for c in classes if c)


def _table(table_id: str, columns: Sequence[str], rows: Sequence[object], key_of=None) -> str:
    head = "".join(f'<th data-col="{c}">{escape(column_label(c))}</th>' for c in columns)
    body = []
    for row in rows:
        cells = []
        for c in columns:
            value = row.value(c)  # type: ignore[attr-defined]
            sort = "" if value is None else (value if isinstance(value, int | float) else str(value))
            cells.append(f'<td class="{_cell_class(c, value)}" data-sort="{escape(str(sort))}">'
                         f"{escape(display_value(c, value))}</td>")
        key = escape(key_of(row)) if key_of else ""
        body.append(f'<tr data-key="{key}">' + "".join(cells) + "</tr>")
    empty = f'<tr class="empty"><td colspan="{len(columns)}">{escape(labels().no_rows)}</td></tr>'
    return (f'<div class="scroll"><table class="data" id="{table_id}"><thead><tr>{head}</tr></thead>'
            f'<tbody>{"".join(body) or empty}</tbody></table></div>')


def _cards(rows: Sequence[ComplianceRow]) -> str:
    lb = labels().summary_cards
    counts = league_counts(rows)
    return "".join(f'<div class="card" data-card="{k}"><b>{v}</b><span>{escape(lb[k])}</span></div>'
                   for k, v in counts.items()) + f'<p class="meta">{escape(labels().summary_note)}</p>'


_CSS = """
body{font-family:'Noto Sans CJK SC','Source Han Sans SC','PingFang SC','Microsoft YaHei',sans-serif;margin:24px;color:#212121}
h1{font-size:22px;margin:0 0 4px} h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #ddd;padding-bottom:4px}
.meta{color:#757575;font-size:13px} .cards{display:flex;gap:12px;flex-wrap:wrap;margin:16px 0}
.card{border:1px solid #ddd;border-radius:6px;padding:8px 14px;min-width:90px} .card b{display:block;font-size:22px}
.card span{color:#616161;font-size:13px} .charts{display:flex;flex-direction:column;gap:18px}
.chart .mark{cursor:pointer} .chart .mark:hover rect{opacity:.8}
.scroll{overflow-x:auto;max-width:100%} table.data{border-collapse:collapse;font-size:13px;margin-top:6px}
table.data td{white-space:nowrap} table.data td.wrap{white-space:normal;min-width:360px} table.data th,table.data td{border:1px solid #e0e0e0;padding:3px 6px}
table.data th{background:#f5f5f5;cursor:pointer;position:sticky;top:0;white-space:nowrap} td.num{text-align:right}
td.bad{background:#ffebee;color:#b71c1c} td.warn{background:#fff8e1} td.muted{color:#9e9e9e}
tr.hidden{display:none} input.filter{margin:4px 0;padding:4px 8px;width:320px}
dl.defs dt{font-weight:bold} dl.defs dd{margin:0 0 6px 0;color:#424242}
"""

_JS_ERRORS = """
window.__nianbaoErrors = [];
window.addEventListener('error', function (e) { window.__nianbaoErrors.push(String(e.message || e)); });
"""

_JS = """
(function () {
  function sortTable(table, col, asc) {
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = a.cells[col].getAttribute('data-sort'), y = b.cells[col].getAttribute('data-sort');
      var nx = parseFloat(x), ny = parseFloat(y);
      var c = (!isNaN(nx) && !isNaN(ny)) ? nx - ny : String(x).localeCompare(String(y), 'zh');
      return asc ? c : -c;
    });
    rows.forEach(function (r) { body.appendChild(r); });
  }
  var tables = document.querySelectorAll('table.data');
  tables.forEach(function (table) {
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, i) {
      th.addEventListener('click', function () {
        var asc = th.getAttribute('data-asc') !== '1';
        th.setAttribute('data-asc', asc ? '1' : '0');
        sortTable(table, i, asc);
      });
    });
  });
  function filterAll(text) {
    text = text.trim();
    tables.forEach(function (table) {
      Array.prototype.forEach.call(table.tBodies[0].rows, function (tr) {
        var show = !text || tr.textContent.indexOf(text) >= 0 || (tr.getAttribute('data-key') || '').indexOf(text) >= 0;
        tr.classList.toggle('hidden', !show);
      });
    });
  }
  var input = document.getElementById('filter');
  input.addEventListener('input', function () { filterAll(input.value); });
  document.querySelectorAll('svg.chart .mark').forEach(function (mark) {
    mark.addEventListener('click', function () {
      input.value = mark.getAttribute('data-key') || '';
      filterAll(input.value);
      document.getElementById('league').scrollIntoView();
    });
  });
  var charts = document.querySelectorAll('svg.chart');
  var drawn = 0;
  charts.forEach(function (svg) {
    var box = svg.getBBox();
    if (svg.querySelectorAll('rect').length > 0 && box.width > 0 && box.height > 0) { drawn += 1; }
  });
  var rows = 0;
  tables.forEach(function (t) { rows += t.tBodies[0].querySelectorAll('tr:not(.empty)').length; });
  var status = document.getElementById('render-status');
  status.setAttribute('data-charts', String(charts.length));
  status.setAttribute('data-charts-drawn', String(drawn));
  status.setAttribute('data-tables', String(tables.length));
  status.setAttribute('data-rows', String(rows));
  status.setAttribute('data-errors', String(window.__nianbaoErrors.length));
  status.textContent = window.__nianbaoErrors.join('\\n');
  document.body.setAttribute('data-rendered', window.__nianbaoErrors.length ? 'error' : 'ok');
})();
"""


def render_html(rows: Sequence[ComplianceRow], flags: Sequence[FlagRow], *, title: str | None = None,
                subtitle: str = "", generated_at: datetime | None = None) -> str:
    lb = labels()
    title = title or lb.title
    generated = (generated_at or datetime.now()).strftime("%Y-%m-%d %H:%M")
    regions: list[RegionYear] = region_summary(rows)
    missing = [r for r in rows if r.status == "missing"]
    defs = "".join(f"<dt>{escape(column_label(k))}</dt><dd>{escape(v)}</dd>" for k, v in lb.definitions.items())
    sections = [
        f'<section class="charts">{"".join(charts(rows))}</section>',
        f'<h2>{escape(lb.sheets["league"])}</h2>'
        f'<input id="filter" class="filter" type="search" placeholder="{escape(lb.filter_placeholder)}">'
        + _table("league", HTML_LEAGUE_COLUMNS, rows, key_of=lambda r: f"{r.agency} {r.region}"),
        f'<h2>{escape(lb.sheets["missing"])}</h2>'
        + _table("missing", ("year", "agency", "region_code", "level", "category", "deadline"), missing,
                 key_of=lambda r: f"{r.agency} {r.region}"),
        f'<h2>{escape(lb.sheets["flags"])}</h2>'
        + _table("flags", HTML_FLAG_COLUMNS, flags, key_of=lambda f: f"{f.agency} {f.region}"),
        f'<h2>{escape(lb.sheets["regions"])}</h2>' + _table("regions", REGION_COLUMNS, regions,
                                                               key_of=lambda g: g.region),
        f'<dl class="defs">{defs}</dl>',
    ]
    return (
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width,initial-scale=1"><title>{escape(title)}</title>'
        f"<style>{_CSS}</style><script>{_JS_ERRORS}</script></head>"
        f'<body data-rendered="0"><h1>{escape(title)}</h1>'
        f'<p class="meta">{escape(subtitle)} · {escape(lb.generated)} {escape(generated)}</p>'
        f'<div class="cards">{_cards(rows)}</div>'
        + "".join(sections)
        + f'<pre id="render-status" data-rows-total="{len(rows)}" hidden></pre>'
        f"<script>{_JS}</script>"
        f'<script type="application/json" id="league-data">{_json_rows(rows)}</script>'
        "</body></html>")


def _json_rows(rows: Sequence[ComplianceRow]) -> str:
    """The league table as data, for whoever opens the file with a script."""
    data = [{c: (v.isoformat() if hasattr(v, "isoformat") else v) for c in LEAGUE_COLUMNS
             for v in [r.value(c)]} for r in rows]
    return json.dumps(data, ensure_ascii=False).replace("</", "<\\/")
