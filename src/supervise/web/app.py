"""`nianbao web`: the supervisor's desk in a browser. Server-rendered pages (Starlette + Jinja2,
inline SVG charts, one local stylesheet and script, nothing from the network) over the warehouse:
the league table, one agency across years, one report with its flagged cells, review decisions,
and who has not published.

The warehouse is opened read-only for each request, so an ingest can write between two pages; a
file locked by a writer gives a page that says so. Decisions are written in a short write session.
Safety: loopback by default (Host header checked); any other bind needs the access token printed
at start; every POST carries a CSRF token and a same-origin Origin; every query parameter is
checked against what the page accepts (values only ever reach SQL as bound parameters).
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import ipaddress
import re
import secrets
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, unquote, urlencode, urlsplit

import duckdb
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.base import BaseHTTPMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from nianbao.common.dbfile import WarehouseError, WarehouseLocked
from nianbao.supervise.charts import COLORS, Bar, Segment, hbar_chart
from nianbao.supervise.compliance import (
    ComplianceRow,
    Filters,
    compliance_table,
    labels,
    league_counts,
    score_formula,
)
from nianbao.supervise.labels import rule_name, rules_label, subject_label
from nianbao.supervise.league_view import display_value, percent
from nianbao.vocabulary import VOCAB, WebLabels

HERE = Path(__file__).parent
TOKEN_COOKIE = "nianbao_token"
CSRF_COOKIE = "nianbao_csrf"
REVIEWER_COOKIE = "nianbao_reviewer"
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1", "[::1]")
MAX_TEXT = 60
MAX_NOTE = 500
YEARS = (1990, 2100)
REPORT_ID = re.compile(r"^rp_[0-9a-f]{16}$")
AGENCY_ID = re.compile(r"^ag_[0-9a-f]{16}$")
# The league table's sortable columns and how each sorts (None last either way).
SORT_KEYS: dict[str, Callable[[ComplianceRow], Any]] = {
    "score": lambda r: r.score, "agency": lambda r: r.agency, "region": lambda r: r.region,
    "level": lambda r: r.level, "category": lambda r: r.category, "status": lambda r: r.status,
    "on_time": lambda r: r.on_time, "open_errors": lambda r: r.open_errors,
    "open_warnings": lambda r: r.open_warnings, "received": lambda r: r.received,
    "disclosure_rate": lambda r: r.disclosure_rate, "deadline": lambda r: r.deadline,
}


def web_labels() -> WebLabels:
    return VOCAB.ui.web


# ------------------------------------------------------------------------------ parameters

class BadParameter(ValueError):
    """A query or form parameter the page does not accept; the message names it."""


class Params:
    """The query string, checked: only the names a page lists, each value parsed by type."""

    def __init__(self, request: Request, allowed: Sequence[str]) -> None:
        self.values: dict[str, str] = {}
        for name, value in request.query_params.multi_items():
            if name == "token":
                continue
            if name not in allowed:
                raise BadParameter(f"unknown parameter {name!r} (this page accepts: {', '.join(allowed) or 'none'})")
            if name in self.values:
                raise BadParameter(f"parameter {name!r} given twice")
            self.values[name] = value

    def integer(self, name: str, low: int, high: int) -> int | None:
        raw = self.values.get(name, "").strip()
        if not raw:
            return None
        if not raw.isdigit() or not low <= int(raw) <= high:
            raise BadParameter(f"{name} must be a whole number from {low} to {high}, not {raw!r}")
        return int(raw)

    def choice(self, name: str, choices: Sequence[str]) -> str | None:
        raw = self.values.get(name, "").strip()
        if not raw:
            return None
        if raw not in choices:
            raise BadParameter(f"{name} must be one of {', '.join(choices)}, not {raw!r}")
        return raw

    def text(self, name: str) -> str | None:
        return clean_input(name, self.values.get(name, ""), MAX_TEXT)

    def flag(self, name: str) -> bool:
        return self.choice(name, ("1",)) == "1"


def clean_input(name: str, raw: str, limit: int) -> str | None:
    text = raw.strip()
    if not text:
        return None
    if len(text) > limit:
        raise BadParameter(f"{name} is longer than {limit} characters")
    if any(ord(ch) < 32 for ch in text if ch not in "\n\r\t"):
        raise BadParameter(f"{name} contains control characters")
    return text


# ------------------------------------------------------------------------------ warehouse access

class Warehouse:
    """Opens the warehouse per request: read-only for pages, a short write session for decisions.
    One request at a time touches the file from this process (DuckDB refuses a read-only and a
    read-write connection to one file in one process)."""

    def __init__(self, db: Path, raw_dir: Path | None = None) -> None:
        self.db = db
        self.raw_dir = raw_dir
        self._lock = threading.Lock()

    @contextmanager
    def read(self) -> Iterator[duckdb.DuckDBPyConnection]:
        from nianbao.warehouse.store import read_session

        with self._lock, read_session(self.db) as con:
            yield con

    @contextmanager
    def write(self) -> Iterator[duckdb.DuckDBPyConnection]:
        from nianbao.warehouse.store import write_session

        with self._lock, write_session(self.db) as warehouse:
            yield warehouse.con


# ------------------------------------------------------------------------------ pages

@dataclass(frozen=True)
class LeagueRow:
    rank: int
    row: ComplianceRow


def _ranked(rows: Sequence[ComplianceRow]) -> dict[tuple[str, int], int]:
    """Competition ranking by score, best first (equal scores share a rank)."""
    ordered = sorted(rows, key=lambda r: -r.score)
    ranks: dict[tuple[str, int], int] = {}
    previous, rank = None, 0
    for i, r in enumerate(ordered, start=1):
        if r.score != previous:
            rank, previous = i, r.score
        ranks[(r.agency_id, r.year)] = rank
    return ranks


def _sorted(rows: Sequence[ComplianceRow], sort: str, descending: bool) -> list[ComplianceRow]:
    key = SORT_KEYS[sort]
    present = [r for r in rows if key(r) is not None]
    absent = [r for r in rows if key(r) is None]
    present.sort(key=lambda r: (key(r), r.agency), reverse=descending)
    return present + absent


def _registry(con: duckdb.DuckDBPyConnection) -> list[Any]:
    from nianbao.supervise.registry import warehouse_registry

    return warehouse_registry(con)


def _trend_chart(name: str, title: str, rows: Sequence[ComplianceRow], value: Callable[[ComplianceRow], Any],
                 fmt: Callable[[float], str], color: str, max_value: float | None = None) -> str:
    bars = [Bar(label=str(r.year), key=str(r.year), segments=(Segment(title, float(value(r) or 0), color),))
            for r in rows if value(r) is not None]
    if not bars:
        return ""
    if max_value is None:  # ticks at whole numbers: the axis runs to the next multiple of 4
        max_value = float(-(-max([b.total for b in bars] + [1.0]) // 4) * 4)
    return hbar_chart(name, title, bars, value_format=fmt, max_value=max_value, width=560)


def _flags_chart(rows: Sequence[ComplianceRow]) -> str:
    cols = labels().columns
    bars = [Bar(label=str(r.year), key=str(r.year), segments=(
        Segment(cols["open_errors"], float(r.open_errors or 0), COLORS["error"]),
        Segment(cols["open_warnings"], float(r.open_warnings or 0), COLORS["warn"])))
        for r in rows if r.status == "published"]
    if not bars:
        return ""
    top = max([b.total for b in bars] + [1.0])
    return hbar_chart("flags_by_year", web_labels().chart_flags, bars, value_format=lambda v: f"{v:g}",
                      max_value=float(-(-top // 4) * 4), width=560)


def _original_bytes(warehouse: Warehouse, document_id: str, source: str | None) -> tuple[bytes, str] | None:
    """The document as ingested: the local file it was read from, when its bytes still hash to
    the document id, else the crawler's raw store copy."""
    if source and not source.startswith(("http://", "https://")):
        path = Path(source)
        try:
            data = path.read_bytes() if path.is_file() else None
        except OSError:
            data = None
        if data is not None and hashlib.sha256(data).hexdigest() == document_id:
            return data, path.name
    if warehouse.raw_dir is not None:
        from nianbao.fetch.rawstore import RawStore

        found = RawStore(warehouse.raw_dir).find(document_id)
        if found is not None:
            return found.read_bytes(), (source or found.name).rsplit("/", 1)[-1] or found.name
    return None


# Types the browser may show itself; everything else is offered as a download. HTML and text are
# shown sandboxed (no script, its own origin), never as a page of this site.
INLINE_TYPES = {"pdf": "application/pdf", "html": "text/html; charset=utf-8", "htm": "text/html; charset=utf-8",
                "txt": "text/plain; charset=utf-8", "png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg"}


def _csv_bytes(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> bytes:
    """UTF-8 with a BOM: Excel on a Chinese Windows opens it without garbling."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


class WebApp:
    """The routes; `create_app` wires them into Starlette."""

    def __init__(self, warehouse: Warehouse, token: str | None) -> None:
        self.warehouse = warehouse
        self.token = token
        self.env = Environment(loader=FileSystemLoader(str(HERE / "templates")),
                               autoescape=select_autoescape(["html"]), trim_blocks=True, lstrip_blocks=True)
        self.env.globals.update(
            L=web_labels(), C=labels(), ui=VOCAB.ui.terminal, display=display_value, percent=percent,
            rule_name=rule_name, rules_label=rules_label, subject_label=subject_label)

    # -- rendering ------------------------------------------------------------------------
    def page(self, request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
        csrf = request.cookies.get(CSRF_COOKIE) or secrets.token_urlsafe(24)
        html = self.env.get_template(template).render(
            request=request, csrf=csrf, db=str(self.warehouse.db),
            reviewer=unquote(request.cookies.get(REVIEWER_COOKIE, "")), **context)
        response = HTMLResponse(html, status_code=status)
        if request.cookies.get(CSRF_COOKIE) != csrf:
            response.set_cookie(CSRF_COOKIE, csrf, httponly=True, samesite="strict")
        return response

    def error(self, request: Request, status: int, title: str, detail: str) -> HTMLResponse:
        response = self.page(request, "error.html", status=status, title=title, detail=detail)
        if status == 503:
            response.headers["Retry-After"] = "5"
        return response

    def guarded(self, handler: Callable[[Request], Any]) -> Callable[[Request], Any]:
        """Bad parameters -> 400, a warehouse being written -> 503, others -> the message."""
        async def run(request: Request) -> Response:
            L = web_labels()
            try:
                return await handler(request)
            except Forbidden as exc:
                return self.error(request, 403, L.forbidden, str(exc))
            except BadParameter as exc:
                return self.error(request, 400, L.bad_parameter, str(exc))
            except WarehouseLocked as exc:
                return self.error(request, 503, L.locked, str(exc))
            except WarehouseError as exc:
                return self.error(request, 500, L.warehouse_error, str(exc))
            except LookupError as exc:
                return self.error(request, 404, L.not_found, str(exc))
        return run

    # -- the league table -----------------------------------------------------------------
    async def league(self, request: Request) -> Response:
        q = Params(request, ("year", "region", "level", "category", "missing", "problems", "sort", "order"))
        levels = list(labels().levels)
        sort = q.choice("sort", list(SORT_KEYS)) or "score"
        order = q.choice("order", ("asc", "desc")) or ("asc" if sort == "score" else "desc")
        level = q.choice("level", levels)
        region, category = q.text("region"), q.text("category")
        missing_only, problems_only = q.flag("missing"), q.flag("problems")
        year = q.integer("year", *YEARS)
        with self.warehouse.read() as con:
            registry = _registry(con)
            everything = compliance_table(con, registry, Filters())
            years = sorted({r.year for r in everything})
            if year is None and years:
                year = years[-1]
            rows = compliance_table(con, registry, Filters(
                years=(year,) if year is not None else None, region=region, category=category, level=level))
        counts = league_counts(rows)
        ranks = _ranked(rows)
        if missing_only:
            rows = [r for r in rows if r.status == "missing"]
        if problems_only:
            rows = [r for r in rows if r.violations]
        shown = [LeagueRow(ranks[(r.agency_id, r.year)], r) for r in _sorted(rows, sort, order == "desc")]
        regions = sorted({r.place for r in everything if r.place})
        categories = sorted({r.category for r in everything if r.category})
        current = {k: v for k, v in q.values.items()}

        def link(**change: Any) -> str:
            merged = {**current, **{k: v for k, v in change.items()}}
            return "?" + urlencode({k: v for k, v in merged.items() if v not in (None, "")})

        return self.page(request, "league.html", rows=shown, counts=counts, year=year, years=years,
                         regions=regions, categories=categories, levels=levels, sort=sort, order=order,
                         region=region or "", category=category or "", level=level or "",
                         missing_only=missing_only, problems_only=problems_only, link=link,
                         formula=score_formula(), no_registry=not registry)

    # -- one agency -----------------------------------------------------------------------
    async def agency(self, request: Request) -> Response:
        Params(request, ())
        agency_id = request.path_params["agency_id"]
        if not AGENCY_ID.match(agency_id):
            raise BadParameter(f"{agency_id!r} is not an agency id (ag_ and 16 hex digits)")
        with self.warehouse.read() as con:
            rows = compliance_table(con, _registry(con), Filters(agency_ids=(agency_id,)))
        if not rows:
            raise LookupError(f"no agency {agency_id} in the warehouse or its registry")
        cols = labels().columns
        charts = [c for c in (
            _flags_chart(rows),
            _trend_chart("received_by_year", cols["received"], rows, lambda r: r.received,
                         lambda v: f"{v:g}", COLORS["bar"]),
            _trend_chart("rate_by_year", cols["disclosure_rate"], rows, lambda r: r.disclosure_rate,
                         percent, COLORS["bar"], 1.0),
            _trend_chart("score_by_year", labels().score.label, rows, lambda r: r.score,
                         lambda v: f"{v:g}", "#2e7d32", float(labels().score.start)),
        ) if c]
        return self.page(request, "agency.html", agency=rows[0], rows=rows,
                         charts=[Markup(c) for c in charts], formula=score_formula())

    # -- one report -----------------------------------------------------------------------
    def _report_context(self, con: duckdb.DuckDBPyConnection, report_id: str) -> dict[str, Any]:
        from nianbao.jobs.recheck import load_reports
        from nianbao.supervise.flag_page import flag_page_parts
        from nianbao.supervise.review import flag_review_statuses, review_history
        from nianbao.warehouse.queries import ReportNotFound, report_view_by_id

        try:
            view = report_view_by_id(con, report_id)
        except ReportNotFound as exc:
            raise LookupError(str(exc)) from None
        seqs = [r[0] for r in con.execute("SELECT seq FROM check_results WHERE report_id = ? ORDER BY seq",
                                          [report_id]).fetchall()]
        try:
            stored = load_reports(con, [report_id]).get(report_id)
        except duckdb.CatalogException:
            stored = None
        narrative = stored.report.narrative if stored else ()
        parts = flag_page_parts(view, narrative, flag_review_statuses(con, report_id), seqs)
        has_log = con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = 'review_log'"
                              ).fetchone()[0]
        history = review_history(con, report_id) if has_log else []
        return {"view": view, "parts": parts, "history": history, "body": Markup(parts.body)}

    async def report(self, request: Request) -> Response:
        q = Params(request, ("flag",))
        picked = q.integer("flag", 1, 10**6)
        report_id = self._report_id(request)
        with self.warehouse.read() as con:
            context = self._report_context(con, report_id)
        source = context["view"].header.source or ""
        return self.page(request, "report.html", picked=picked, report_id=report_id,
                         source_url=source if source.startswith(("http://", "https://")) else None, **context)

    async def original(self, request: Request) -> Response:
        Params(request, ())
        report_id = self._report_id(request)
        with self.warehouse.read() as con:
            row = con.execute("SELECT d.document_id, d.source, d.format FROM reports r JOIN documents d "
                              "USING (document_id) WHERE r.report_id = ?", [report_id]).fetchone()
        if row is None:
            raise LookupError(f"no report {report_id} in the warehouse")
        found = _original_bytes(self.warehouse, row[0], row[1])
        if found is None:
            raise LookupError(web_labels().original_missing.format(source=row[1] or row[0]))
        data, name = found
        ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
        kind = INLINE_TYPES.get(ext)
        headers = {"X-Content-Type-Options": "nosniff",
                   "Content-Security-Policy": "sandbox; default-src 'none'; img-src data:; style-src 'unsafe-inline'"}
        if kind is None:
            headers["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote_name(name)}"
            kind = "application/octet-stream"
        return Response(data, media_type=kind, headers=headers)

    def _report_id(self, request: Request) -> str:
        report_id = request.path_params["report_id"]
        if not REPORT_ID.match(report_id):
            raise BadParameter(f"{report_id!r} is not a report id (rp_ and 16 hex digits)")
        return report_id

    # -- decisions --------------------------------------------------------------------------
    async def decide(self, request: Request) -> Response:
        from nianbao.supervise.review import ReviewError, record_decision, undo_decision

        Params(request, ())
        report_id = self._report_id(request)
        form = await self._form(request, ("csrf", "seq", "action", "reviewer", "note"))
        L = web_labels()
        seq_text = form.get("seq", "")
        if not seq_text.isdigit():
            raise BadParameter("seq must be the number of a flag")
        seq = int(seq_text)
        action = form.get("action", "")
        if action not in ("confirmed", "dismissed", "undo"):
            raise BadParameter("action must be confirmed, dismissed or undo")
        reviewer = clean_input("reviewer", form.get("reviewer", ""), MAX_TEXT)
        note = clean_input("note", form.get("note", ""), MAX_NOTE)
        if reviewer is None:
            raise BadParameter(L.reviewer_required)
        try:
            with self.warehouse.write() as con:
                if action == "undo":
                    undo_decision(con, report_id, seq, reviewer=reviewer, note=note)
                else:
                    flag = con.execute("SELECT rule, subject FROM check_results WHERE report_id = ? AND seq = ?",
                                       [report_id, seq]).fetchone()
                    if flag is None:
                        raise LookupError(f"report {report_id} has no flag {seq}")
                    record_decision(con, report_id, flag[0], flag[1], action, note, seq, reviewer=reviewer)
        except ReviewError as exc:
            raise BadParameter(str(exc)) from None
        response = RedirectResponse(f"/report/{report_id}?flag={seq}#flag-{seq}", status_code=303)
        response.set_cookie(REVIEWER_COOKIE, quote(reviewer, safe=""), httponly=True, samesite="strict",
                            max_age=365 * 86400)
        return response

    async def _form(self, request: Request, allowed: Sequence[str]) -> dict[str, str]:
        """The urlencoded body, same-origin and with this browser's CSRF token, or BadParameter."""
        L = web_labels()
        if not _same_origin(request):
            raise Forbidden(L.cross_site)
        if request.headers.get("content-type", "").split(";")[0].strip() != "application/x-www-form-urlencoded":
            raise BadParameter("the form must be sent as application/x-www-form-urlencoded")
        body = await request.body()
        if len(body) > 16_384:
            raise BadParameter("the form is too large")
        try:
            parsed = parse_qs(body.decode("utf-8"), keep_blank_values=True, strict_parsing=False)
        except UnicodeDecodeError:
            raise BadParameter("the form is not UTF-8") from None
        form: dict[str, str] = {}
        for name, values in parsed.items():
            if name not in allowed:
                raise BadParameter(f"unknown form field {name!r}")
            if len(values) != 1:
                raise BadParameter(f"form field {name!r} given {len(values)} times")
            form[name] = values[0]
        cookie = request.cookies.get(CSRF_COOKIE, "")
        if not cookie or not hmac.compare_digest(cookie, form.get("csrf", "")):
            raise Forbidden(L.csrf_failed)
        return form

    # -- who has not published ----------------------------------------------------------------
    async def missing(self, request: Request) -> Response:
        q = Params(request, ("year",))
        year = q.integer("year", *YEARS)
        with self.warehouse.read() as con:
            registry = _registry(con)
            rows = compliance_table(con, registry, Filters(years=(year,) if year else None))
        today = date.today()
        missing = [r for r in rows if r.status == "missing" and r.expected]
        missing.sort(key=lambda r: (r.deadline, r.region_code or "~", r.agency))
        years = sorted({r.year for r in rows})
        return self.page(request, "missing.html", rows=missing, today=today, year=year, years=years,
                         no_registry=not registry)

    # -- decisions, all of them -------------------------------------------------------------
    def _decisions(self) -> tuple[list[Any], list[Any]]:
        from nianbao.supervise.review import list_decisions, review_history

        with self.warehouse.read() as con:
            has_log = con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = 'review_log'"
                                  ).fetchone()[0]
            return list_decisions(con), (review_history(con) if has_log else [])

    async def reviews(self, request: Request) -> Response:
        Params(request, ())
        decisions, history = self._decisions()
        return self.page(request, "reviews.html", decisions=decisions, history=history)

    async def reviews_csv(self, request: Request) -> Response:
        return await self._reviews_export(request, "csv")

    async def reviews_xlsx(self, request: Request) -> Response:
        return await self._reviews_export(request, "xlsx")

    async def _reviews_export(self, request: Request, fmt: str) -> Response:
        q = Params(request, ("codes",))
        codes = q.flag("codes")
        decisions, _ = self._decisions()
        header, rows = decision_table(decisions, codes=codes)
        if fmt == "csv":
            return Response(_csv_bytes(header, rows), media_type="text/csv; charset=utf-8",
                            headers={"Content-Disposition": "attachment; filename=reviews.csv"})
        return Response(_xlsx_bytes(web_labels().reviews_title, header, rows),
                        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                        headers={"Content-Disposition": "attachment; filename=reviews.xlsx"})


DECISION_COLUMNS = ("agency", "year", "rule", "rule_name", "subject", "status", "reviewer", "note", "applies",
                    "decided_at", "message", "report_id")


def decision_table(decisions: Sequence[Any], *, codes: bool = False) -> tuple[list[str], list[list[Any]]]:
    """Review decisions as rows: Chinese headers and words by default, codes with `codes`."""
    L = web_labels().decision_columns
    ui = VOCAB.ui.terminal
    lb = labels()
    header = list(DECISION_COLUMNS) if codes else [L[c] for c in DECISION_COLUMNS]
    rows = []
    for d in decisions:
        rows.append([
            d.agency or "", d.year or "", d.rule, rule_name(d.rule),
            d.subject if codes else subject_label(d.subject),
            d.status if codes else ui.review_statuses.get(d.status, d.status),
            d.reviewer or "", d.note or "",
            ("true" if d.applies else "false") if codes else (lb.yes if d.applies else lb.no),
            d.decided_at.strftime("%Y-%m-%d %H:%M:%S"), d.message or "", d.report_id or ""])
    return header, rows


def _xlsx_bytes(sheet_name: str, header: Sequence[str], rows: Sequence[Sequence[Any]]) -> bytes:
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet(sheet_name[:31])
    bold = book.add_format({"bold": True, "bg_color": "#eeeeee"})
    sheet.write_row(0, 0, header, bold)
    for i, row in enumerate(rows, start=1):
        sheet.write_row(i, 0, row)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(1, len(rows)), len(header) - 1)
    for j, name in enumerate(header):
        sheet.set_column(j, j, 40 if j in (7, 10) else 16)
    book.close()
    return buffer.getvalue()


def _quote_name(name: str) -> str:
    return quote(name, safe="")


class Forbidden(BadParameter):
    """A POST that is not from this site's own page."""


def _host_only(host: str) -> str:
    host = host.strip().lower()
    if host.startswith("["):
        return host[: host.find("]") + 1]
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def _same_origin(request: Request) -> bool:
    """Origin (or, without it, Referer) names this very host: a form posted from another site's
    page, even one the user opened in the same browser, is refused."""
    host = request.headers.get("host", "")
    origin = request.headers.get("origin")
    if origin is None or origin == "null":
        referer = request.headers.get("referer")
        if not referer:
            return False
        origin = referer
    parts = urlsplit(origin)
    return bool(parts.scheme in ("http", "https") and parts.netloc and parts.netloc.lower() == host.lower())


def is_loopback(host: str) -> bool:
    if host in ("localhost",):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class Guard(BaseHTTPMiddleware):
    """Every request: the Host header (against DNS rebinding on a loopback bind), the access token
    (any other bind), and headers that keep the pages from being framed or loading anything else."""

    def __init__(self, app: Any, token: str | None, loopback: bool) -> None:
        super().__init__(app)
        self.token = token
        self.loopback = loopback

    async def dispatch(self, request: Request, call_next: Any) -> Response:
        L = web_labels()
        if self.loopback and _host_only(request.headers.get("host", "")) not in LOOPBACK_NAMES:
            return _plain(400, L.bad_host)
        if self.token is not None:
            given = request.query_params.get("token")
            cookie = request.cookies.get(TOKEN_COOKIE, "")
            bearer = request.headers.get("authorization", "").removeprefix("Bearer ").strip()
            if given is not None and hmac.compare_digest(given, self.token):
                # Keep the token out of the address bar and of Referer headers: a cookie from now on.
                rest = [(k, v) for k, v in request.query_params.multi_items() if k != "token"]
                target = request.url.path + ("?" + urlencode(rest) if rest else "")
                response: Response = RedirectResponse(target, status_code=303)
                response.set_cookie(TOKEN_COOKIE, self.token, httponly=True, samesite="strict")
                return _secure(response)
            if not (cookie and hmac.compare_digest(cookie, self.token)) and not (
                    bearer and hmac.compare_digest(bearer, self.token)):
                return _plain(401, L.token_required)
        return _secure(await call_next(request))


def _plain(status: int, text: str) -> Response:
    return _secure(Response(text + "\n", status_code=status, media_type="text/plain; charset=utf-8"))


def _secure(response: Response) -> Response:
    response.headers.setdefault(
        "Content-Security-Policy",
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("Cache-Control", "no-store")
    return response


def create_app(db: str | Path, *, token: str | None = None, loopback: bool = True,
               raw_dir: str | Path | None = None) -> Starlette:
    """The web app over warehouse `db`. `token`: required on every request (a non-loopback bind);
    `loopback`: only accept Host headers naming this machine."""
    web = WebApp(Warehouse(Path(db), Path(raw_dir) if raw_dir else None), token)

    def route(path: str, handler: Callable[[Request], Any], methods: Sequence[str] = ("GET",)) -> Route:
        return Route(path, web.guarded(handler), methods=list(methods))

    routes = [
        route("/", web.league),
        route("/agency/{agency_id}", web.agency),
        route("/report/{report_id}", web.report),
        route("/report/{report_id}/original", web.original),
        route("/report/{report_id}/decide", web.decide, ("POST",)),
        route("/missing", web.missing),
        route("/reviews", web.reviews),
        route("/reviews.csv", web.reviews_csv),
        route("/reviews.xlsx", web.reviews_xlsx),
        Route("/favicon.ico", lambda request: Response(status_code=204)),
        Mount("/static", StaticFiles(directory=str(HERE / "static")), name="static"),
    ]
    app = Starlette(routes=routes, middleware=[Middleware(Guard, token=token, loopback=loopback)])
    app.state.web = web
    return app


def new_token() -> str:
    return secrets.token_urlsafe(24)


