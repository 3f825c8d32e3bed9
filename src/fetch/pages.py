"""What a portal page says, as data for the crawler: the report links among a page's anchors (and
its 下一页 links), a report page's publication date, file links and whether the report is on the
page. The column structures around them (pagers, datastores, APIs) are in listing.py.

Pure functions over bytes (lxml). The words come from crawl.yaml (VOCAB.crawl) and the
source's hints; nothing here knows a particular portal.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from urllib.parse import urldefrag

import lxml.html
from lxml import etree

from nianbao.common.encoding import UndecodableError, decode_bytes
from nianbao.common.text import clean_text, parse_date
from nianbao.fetch.guard import url_extension
from nianbao.fetch.sources import Source
from nianbao.spec import SPEC
from nianbao.vocabulary import VOCAB

REPORT_WORDS = tuple(clean_text(w) for w in VOCAB.crawl.report_words)
EXCLUDE_WORDS = tuple(clean_text(w) for w in VOCAB.crawl.exclude_words)
NEXT_PAGE_WORDS = tuple(clean_text(w).lower() for w in VOCAB.crawl.next_page_words)
DATE_META = tuple(VOCAB.crawl.date_meta)
DATE_LABELS = tuple(clean_text(w) for w in VOCAB.recognition.date_labels[:2])  # 发布日期, 发布时间
ATTACHMENT_EXTENSIONS = tuple(VOCAB.crawl.attachment_extensions)
DOWNLOAD_WORDS = tuple(w.lower() for w in VOCAB.crawl.download_words)
# A page whose text has one of these headings carries the report itself (not only a link to it).
INLINE_REPORT_MARKERS = tuple(dict.fromkeys(
    clean_text(label.split("、", 1)[-1])
    for key in ("applications", "appeals")
    for label in [SPEC.sections[key], *SPEC.section_variants.get(key, [])]
)) + tuple(clean_text(m) for m in VOCAB.recognition.pre2019_markers)
_YEAR = re.compile(r"(?<!\d)(20\d{2}|19\d{2})(?!\d)")
# A link's surroundings (its list item or table row) are searched for its date up to this size.
MAX_CONTEXT_CHARS = 240
MAX_PUBLISHED_SCAN_CHARS = 30


@dataclass(frozen=True)
class ReportLink:
    """A link on a listing page whose title says it is an annual report."""

    url: str
    title: str
    year: int
    published_on: date | None  # the date printed beside the link, if any


@dataclass(frozen=True)
class ReportPage:
    title: str | None
    published_on: date | None
    attachments: tuple[str, ...]  # links that may serve report files (.pdf .doc …, download scripts)
    has_report: bool              # the report's sections are on the page itself


class PageError(ValueError):
    """The bytes are not an HTML page we can read."""


_SPACE = re.compile(r"\s+")


def _quick_clean(text: str) -> str:
    """clean_text without the 繁->简 conversion, which is slow on a whole page; the full
    clean_text is the fallback when this finds nothing."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", text))


def _contains_any(text: str, words: tuple[str, ...]) -> bool:
    return any(w in _quick_clean(text) for w in words) or any(w in clean_text(text) for w in words)


def is_attachment_url(url: str) -> bool:
    return url_extension(url) in ATTACHMENT_EXTENSIONS


def may_be_attachment(a: lxml.html.HtmlElement, href: str) -> bool:
    """A link that may serve a report file: a file extension in the URL or in the link's text
    (附件：2022年报.pdf → download.jsp?id=…), or a download script. The answer decides (sniff.py)."""
    if is_attachment_url(href):
        return True
    text = " ".join(_link_text(a)).strip().lower()
    if any(text.endswith("." + ext) for ext in ATTACHMENT_EXTENSIONS):
        return True
    lowered = href.lower()
    return any(w in lowered for w in DOWNLOAD_WORDS if w.isascii())


def is_excluded(text: str) -> bool:
    """The text names something other than a report (通知, 解读 …)."""
    cleaned = clean_text(text)
    return any(w in cleaned for w in EXCLUDE_WORDS)


def report_title(text: str, extra_words: tuple[str, ...] = ()) -> tuple[str, int] | None:
    """(title, year) when a link text names an annual report: a report word and a year, and no
    excluded word (通知, 解读 …)."""
    cleaned = clean_text(text)
    if not cleaned:
        return None
    words = REPORT_WORDS + tuple(clean_text(w) for w in extra_words)
    if not any(w in cleaned for w in words) or any(w in cleaned for w in EXCLUDE_WORDS):
        return None
    years = [int(y) for y in _YEAR.findall(cleaned)]
    if not years:
        return None
    return " ".join(text.split()), years[0]


def parse_html(data: bytes, url: str, declared: str | None) -> tuple[lxml.html.HtmlElement, str]:
    try:
        text, _ = decode_bytes(data, declared)
    except UndecodableError as exc:
        raise PageError(f"{url}: not an HTML page ({exc})") from None
    # lxml refuses str input that carries an XML encoding declaration.
    text = re.sub(r"^\s*<\?xml[^>]*>", "", text)
    if not text.strip():
        raise PageError(f"{url}: the page is empty")
    try:
        root = lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError) as exc:
        raise PageError(f"{url}: not an HTML page ({exc})") from None
    root.make_links_absolute(url, resolve_base_href=True, handle_failures="discard")
    return root, text


def link_href(a: lxml.html.HtmlElement) -> str | None:
    href = (a.get("href") or "").strip()
    if not href.lower().startswith(("http://", "https://")):
        return None  # javascript:, mailto:, links lxml could not make absolute
    return urldefrag(href)[0]


def _link_text(a: lxml.html.HtmlElement) -> list[str]:
    """The texts that may carry a link's title: the title attribute (often the untruncated
    title), then the text."""
    return [t for t in (a.get("title"), a.text_content()) if t and t.strip()]


def _nearby_date(a: lxml.html.HtmlElement) -> date | None:
    own = a.text_content()
    for depth, ancestor in enumerate(a.iterancestors()):
        if depth >= 3:
            break
        context = ancestor.text_content()
        if len(context) > MAX_CONTEXT_CHARS:
            break
        found = parse_date(context.replace(own, " "))
        if found:
            return found
    return None


def _xpath_elements(root: lxml.html.HtmlElement, xpath: str, url: str) -> list[lxml.html.HtmlElement]:
    try:
        found = root.xpath(xpath)
    except etree.XPathError as exc:
        raise PageError(f"{url}: the source's xpath {xpath!r} is invalid ({exc})") from None
    return [e for e in found if isinstance(e, etree._Element)]


def _anchors(root: lxml.html.HtmlElement, xpath: str | None, url: str) -> list[lxml.html.HtmlElement]:
    if not xpath:
        return list(root.iter("a"))
    out = []
    for element in _xpath_elements(root, xpath, url):
        out.extend([element] if element.tag == "a" else element.iter("a"))
    return out


def report_links(root: lxml.html.HtmlElement, url: str, source: Source) -> tuple[dict[str, ReportLink], int]:
    """The report links among a page's (or a fragment's) anchors, and how many others it has."""
    reports: dict[str, ReportLink] = {}
    others = 0
    for a in _anchors(root, source.link_xpath, url):
        href = link_href(a)
        if href is None:
            continue
        texts = _link_text(a)
        found = next((t for t in (report_title(s, source.title_words) for s in texts) if t), None)
        if found is not None and any(is_excluded(t) for t in texts):
            found = None  # the cut text hides what the whole title says (…编制工作的通知)
        if found is None:
            others += 1
            continue
        if href not in reports:
            reports[href] = ReportLink(href, found[0], found[1], _nearby_date(a))
    return reports, others


def next_page_links(root: lxml.html.HtmlElement, url: str, source: Source) -> list[str]:
    """"Next page" links (their words, or the source's xpath)."""
    if source.next_page_xpath:
        nexts = _anchors(root, source.next_page_xpath, url)
    else:
        nexts = [a for a in root.iter("a") if clean_text(a.text_content()).lower() in NEXT_PAGE_WORDS]
    return [h for h in map(link_href, nexts) if h]


def published_on(root: lxml.html.HtmlElement, text: str) -> date | None:
    """The page's publication date: a <meta> (PubDate …), else the date after 发布日期/发布时间."""
    for meta in root.iter("meta"):
        name = (meta.get("name") or meta.get("property") or meta.get("itemprop") or "").strip().lower()
        if name in DATE_META:
            found = parse_date(meta.get("content") or "")
            if found:
                return found
    body = _quick_clean(text)
    for label in DATE_LABELS:
        for m in re.finditer(re.escape(label), body):
            found = parse_date(body[m.end(): m.end() + MAX_PUBLISHED_SCAN_CHARS])
            if found:
                return found
    return None


def parse_report_page(data: bytes, url: str, source: Source, charset: str | None = None) -> ReportPage:
    """A report page: its date, its attachments and whether the report itself is on it."""
    root, _ = parse_html(data, url, source.encoding or charset)
    for junk in root.xpath("//script|//style"):
        junk.drop_tree()
    text = root.text_content()
    attachments = [h for a in root.iter("a") if (h := link_href(a)) and may_be_attachment(a, h)]
    title_el = root.find(".//title")
    title = " ".join(title_el.text_content().split()) if title_el is not None else None
    return ReportPage(
        title=title or None,
        published_on=published_on(root, text),
        attachments=tuple(dict.fromkeys(attachments)),
        has_report=_contains_any(text, INLINE_REPORT_MARKERS),
    )
