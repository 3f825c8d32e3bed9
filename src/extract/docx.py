"""DOCX reader: a Word document's body -> a Document of paragraphs and table grids, in body order.

Merged cells are read from the XML (w:gridSpan, w:vMerge, legacy w:hMerge) so each appears once with
its span; list numbering Word generates (一、 （一） 1.) is written into the text as Word shows it.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.exceptions import PackageNotFoundError
from docx.opc.package import OpcPackage
from docx.oxml.parser import parse_xml
from lxml import etree

from .layout.grid import Span, build_table, drop_empty_columns
from .model import Block, Document, Provenance, ReaderError, Table, TextBlock

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_MATH = "http://schemas.openxmlformats.org/officeDocument/2006/math"
_STRICT_W = "http://purl.oclc.org/ooxml/wordprocessingml/main"


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


# Wrappers whose children belong to the enclosing level (content controls, custom XML, tracked moves).
_BLOCK_WRAPPERS = frozenset({"customXml", "ins", "moveTo"})
# Run-level content never shown: deletions, field codes, hidden formatting, ruby annotations.
_SKIP_INLINE = frozenset({"del", "moveFrom", "instrText", "delInstrText", "rPr", "pPr", "rt", "fldData",
                          "footnoteReference", "endnoteReference", "commentReference", "annotationRef"})
# Drawings and legacy shapes: their text boxes are read as blocks of their own.
_DRAWINGS = frozenset({"drawing", "pict", "object"})

# Marks a hard line break while a paragraph's text is assembled.
_BREAK = "\u2029"
_SPACES = re.compile(r"[ \t\n\r\f]+")
MAX_COLSPAN = 1000


def read_docx(data: bytes, name: str) -> Document:
    """Read a Word 2007+ document (.docx, also .docm/.dotx) into a Document.

    Only the main body is read: headers, footers, footnotes and comments hold page furniture,
    never report data.
    """
    if not data:
        raise ReaderError(f"{name}: the file is empty", "failed")
    parts = _open_parts(data, name)
    walker = _BodyWalker(name, _Numbering(parts.numbering, parts.styles))
    walker.walk_blocks(parts.body, "body")
    return Document(path=name, format="docx", blocks=tuple(walker.blocks), title=walker.title,
                    metadata=parts.metadata)


# ----------------------------------------------------------------------------- package


@dataclass(frozen=True)
class _Parts:
    """The pieces of a Word package the reader uses."""

    body: etree._Element
    numbering: etree._Element | None
    styles: etree._Element | None
    metadata: dict[str, str]


def _open_parts(data: bytes, name: str) -> _Parts:
    try:
        package = OpcPackage.open(io.BytesIO(data))
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise ReaderError(f"{name}: not a readable Word document (the zip archive is damaged: {exc})",
                          "failed") from exc
    except (KeyError, PackageNotFoundError, etree.XMLSyntaxError) as exc:
        # A part named by a relationship is missing (a picture, the content-type list) or the package
        # description is damaged: Word still opens such files, so read the parts by their usual names.
        return _parts_from_zip(data, name, exc)
    try:
        main = package.part_related_by(RT.OFFICE_DOCUMENT)
    except KeyError:
        return _parts_from_zip(data, name, None)
    root = _xml_of(main, name, "the document text (word/document.xml)")
    return _Parts(_body_of(root, name), _related_xml(main, RT.NUMBERING), _related_xml(main, RT.STYLES),
                  _core_properties(package))


def _parts_from_zip(data: bytes, name: str, cause: Exception | None) -> _Parts:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise ReaderError(f"{name}: not a readable Word document (the zip archive is damaged: {exc})",
                          "failed") from exc
    if "word/document.xml" not in members:
        why = f": {cause}" if cause else ""
        raise ReaderError(f"{name}: not a Word document (a zip archive without word/document.xml{why})", "failed")

    def member_xml(member: str) -> etree._Element | None:
        if member not in members:
            return None
        try:
            return parse_xml(archive.read(member))
        except (etree.XMLSyntaxError, zipfile.BadZipFile, zlib.error, OSError):
            return None

    try:
        root = parse_xml(archive.read("word/document.xml"))
    except (zipfile.BadZipFile, zlib.error, OSError) as exc:
        raise ReaderError(f"{name}: not a readable Word document (word/document.xml cannot be unpacked: {exc})",
                          "failed") from exc
    except etree.XMLSyntaxError as exc:
        raise ReaderError(f"{name}: the document text (word/document.xml) is damaged: {exc}", "failed") from exc
    return _Parts(_body_of(root, name), member_xml("word/numbering.xml"), member_xml("word/styles.xml"), {})


def _xml_of(part: object, name: str, what: str) -> etree._Element:
    try:
        root = getattr(part, "element", None)
        # parts of content types python-docx does not know (.docm, .dotx) arrive as raw bytes
        return root if root is not None else parse_xml(part.blob)  # type: ignore[attr-defined]
    except etree.XMLSyntaxError as exc:
        raise ReaderError(f"{name}: {what} is damaged: {exc}", "failed") from exc


def _body_of(root: etree._Element, name: str) -> etree._Element:
    if etree.QName(root).namespace == _STRICT_W:
        raise ReaderError(f"{name}: the document is saved in the 'Strict Open XML' variant of DOCX, "
                          "which cannot be read; save it again as an ordinary Word document", "unsupported")
    body = root.find(_w("body"))
    if body is None:
        raise ReaderError(f"{name}: the Word document has no body (word/document.xml holds no text)", "failed")
    return body


def _core_properties(package: OpcPackage) -> dict[str, str]:
    """docProps/core.xml. Its title goes under `core_title`, not `title`: Word documents are copied
    from last year's report, and the stored title often still names that year."""
    try:
        # python-docx invents a default core part ("Word Document") when asked for a missing one.
        props = package.part_related_by(RT.CORE_PROPERTIES).core_properties
    except (KeyError, AttributeError, ValueError, etree.XMLSyntaxError):
        return {}
    out: dict[str, str] = {}
    for key in ("title", "subject", "author", "keywords", "last_modified_by", "category"):
        try:
            value = getattr(props, key)
        except (ValueError, etree.XMLSyntaxError):
            continue
        if value and value.strip():
            out["core_title" if key == "title" else key] = value.strip()
    for key in ("created", "modified"):
        try:
            value = getattr(props, key)
        except (ValueError, etree.XMLSyntaxError):
            continue
        if value is not None:
            out[key] = value.isoformat()
    return out


# ----------------------------------------------------------------------------- body walk


def _local(el: etree._Element) -> str | None:
    """Local name of a WordprocessingML element; None for comments and other namespaces."""
    tag = el.tag
    if not isinstance(tag, str) or not tag.startswith("{" + W + "}"):
        return None
    return tag[len(W) + 2:]


class _BodyWalker:
    """Walks block-level content once, emitting TextBlocks and Tables in reading order."""

    def __init__(self, name: str, numbering: _Numbering) -> None:
        self.name = name
        self.numbering = numbering
        self.blocks: list[Block] = []
        self.n_text = 0
        self.n_tables = 0
        # The visible title: a centred or title-styled paragraph among the first lines, before any table.
        self.title: str | None = None
        self._title_open = True

    # -- block-level content ------------------------------------------------------------------

    def walk_blocks(self, parent: etree._Element, path: str) -> None:
        for child, locator in _block_children(parent, path):
            kind = _local(child)
            if kind == "p":
                self.paragraph(child, locator)
            elif kind == "tbl":
                self.table(child, locator)

    def paragraph(self, p: etree._Element, locator: str) -> None:
        lines, boxes = self.paragraph_lines(p)
        # A text box anchored in a paragraph is shown beside it; its content stands on its own.
        for k, box in enumerate(boxes, 1):
            self.walk_blocks(box, f"{locator}/txbxContent[{k}]")
        if lines and self._title_open:
            if self.n_text >= 5:
                self._title_open = False
            elif _looks_like_title(p) and len(" ".join(lines)) <= 80:
                self.title = " ".join(lines)
                self._title_open = False
        for line in lines:
            self.blocks.append(TextBlock(self.n_text, line, Provenance(self.name, locator)))
            self.n_text += 1

    def paragraph_lines(self, p: etree._Element) -> tuple[list[str], list[etree._Element]]:
        """The paragraph's lines (list number first) and the text boxes anchored in it."""
        label = self.numbering.label(p)
        parts: list[str] = []
        boxes: list[etree._Element] = []
        _inline_text(p, parts, boxes)
        lines = _clean_lines("".join(parts))
        if lines and label:  # Word prints the number of an empty list paragraph, but it says nothing
            lines = _clean_lines(label + "".join(parts))
        return lines, boxes

    def table(self, tbl: etree._Element, locator: str) -> None:
        rows = _table_rows(tbl, locator)
        if _holds_table(tbl):
            self._read_as_container(rows)
            return
        placed, width = _place_cells(rows)
        if width <= 1:  # a one-column box around text is layout, not data
            self._read_as_container(rows)
            return
        self._title_open = False  # a title comes before the first data table (one in a layout box counts)
        self.blocks.append(self._build_table(tbl, locator, rows, placed, width))
        self.n_tables += 1

    def _read_as_container(self, rows: list[_Row]) -> None:
        for _tr, _tr_locator, cells in rows:
            for tc, tc_locator in cells:
                self.walk_blocks(tc, tc_locator)

    def _build_table(self, tbl: etree._Element, locator: str, rows: list[_Row], placed: list[_Placed],
                     width: int) -> Table:
        index = self.n_tables
        # Every position of a merged cell points at the one source cell (its top-left corner).
        spans = [Span(p.row, p.col, p.rowspan, p.colspan,
                      "\n".join(line for tc in p.elements for line in self.cell_lines(tc)),
                      Provenance(self.name, p.locator, table=index, row=p.row, col=p.col))
                 for p in placed]

        def blank(r: int, c: int) -> tuple[Provenance, None]:
            # A position no cell covers (w:gridBefore/gridAfter, short rows): the row is its place.
            return Provenance(self.name, rows[r][1], table=index, row=r, col=c), None

        return build_table(index, spans, len(rows), width, Provenance(self.name, locator, table=index), blank)

    def cell_lines(self, tc: etree._Element) -> list[str]:
        """The lines of a data cell: one per paragraph line, blank ones dropped."""
        lines: list[str] = []
        for child, _locator in _block_children(tc, ""):
            kind = _local(child)
            if kind == "p":
                paragraph_lines, boxes = self.paragraph_lines(child)
                lines.extend(paragraph_lines)
                for box in boxes:
                    lines.extend(self.cell_lines(box))
        return lines


def _block_children(parent: etree._Element, path: str) -> Iterator[tuple[etree._Element, str]]:
    """Block-level children (w:p, w:tbl) with their locators, looking through content controls
    (w:sdt/w:sdtContent) and other wrappers."""
    counts: Counter[str] = Counter()
    for child in parent:
        kind = _local(child)
        if kind is None:
            if child.tag == f"{{{_MC}}}AlternateContent":
                chosen = _alternate_choice(child)
                if chosen is not None:
                    yield from _block_children(chosen, path)
            continue
        counts[kind] += 1
        locator = f"{path}/{kind}[{counts[kind]}]" if path else f"{kind}[{counts[kind]}]"
        if kind in ("p", "tbl"):
            yield child, locator
        elif kind == "sdt":
            content = child.find(_w("sdtContent"))
            if content is not None:
                yield from _block_children(content, locator + "/sdtContent")
        elif kind in _BLOCK_WRAPPERS:
            yield from _block_children(child, locator)


def _alternate_choice(alternate: etree._Element) -> etree._Element | None:
    """The one branch of mc:AlternateContent to read (the first Choice, else the Fallback)."""
    for branch in alternate:
        if branch.tag in (f"{{{_MC}}}Choice", f"{{{_MC}}}Fallback"):
            return branch
    return None


def _looks_like_title(p: etree._Element) -> bool:
    ppr = p.find(_w("pPr"))
    if ppr is None:
        return False
    style = ppr.find(_w("pStyle"))
    if style is not None and style.get(_w("val"), "").lower() in ("title", "heading1", "1"):
        return True
    jc = ppr.find(_w("jc"))
    return jc is not None and jc.get(_w("val")) == "center"


def _holds_table(tbl: etree._Element) -> bool:
    return next(tbl.iterdescendants(_w("tbl")), None) is not None


# ----------------------------------------------------------------------------- running text


def _inline_text(el: etree._Element, parts: list[str], boxes: list[etree._Element]) -> None:
    """Append the text Word shows for a paragraph (or part of one) to `parts`; collect text boxes."""
    for child in el:
        kind = _local(child)
        if kind is None:
            tag = child.tag
            if tag == f"{{{_MC}}}AlternateContent":
                chosen = _alternate_choice(child)
                if chosen is not None:
                    _inline_text(chosen, parts, boxes)
            elif tag == f"{{{_MATH}}}t" and child.text:
                parts.append(child.text)
            elif isinstance(tag, str) and tag.startswith(f"{{{_MATH}}}"):
                _inline_text(child, parts, boxes)
            continue
        if kind == "t":
            if child.text:
                parts.append(child.text)
        elif kind in ("tab", "ptab"):
            parts.append("\t")
        elif kind in ("br", "cr"):
            parts.append(_BREAK)
        elif kind == "noBreakHyphen":
            parts.append("-")
        elif kind == "r":
            if not _hidden(child):
                _inline_text(child, parts, boxes)
        elif kind in _DRAWINGS:
            boxes.extend(child.iter(_w("txbxContent")))
        elif kind in _SKIP_INLINE:
            continue
        else:  # hyperlink, fldSimple, smartTag, ins, sdt/sdtContent, ruby base, dir, bdo …
            _inline_text(child, parts, boxes)


def _hidden(run: etree._Element) -> bool:
    rpr = run.find(_w("rPr"))
    if rpr is None:
        return False
    vanish = rpr.find(_w("vanish"))
    return vanish is not None and vanish.get(_w("val"), "true") not in ("0", "false", "off")


def _clean_lines(raw: str) -> list[str]:
    """One entry per non-blank line; whitespace runs become one space (full-width spaces are kept
    inside a line, as the HTML reader does)."""
    out = []
    for line in _SPACES.sub(" ", raw.replace("\xa0", " ")).split(_BREAK):
        line = line.strip()
        if line:
            out.append(line)
    return out


# ----------------------------------------------------------------------------- tables

_Cell = tuple[etree._Element, str]  # w:tc and its locator
_Row = tuple[etree._Element, str, list[_Cell]]  # w:tr, its locator, its cells


class _Placed:
    """A source cell at its grid position; `elements` are the w:tc it covers (a vertical merge
    continues in one w:tc per row)."""

    __slots__ = ("col", "colspan", "elements", "locator", "row", "rowspan")

    def __init__(self, tc: etree._Element, locator: str, row: int, col: int, colspan: int) -> None:
        self.elements = [tc]
        self.locator = locator
        self.row, self.col, self.rowspan, self.colspan = row, col, 1, colspan


def _table_rows(tbl: etree._Element, locator: str) -> list[_Row]:
    rows: list[_Row] = []
    for tr, tr_locator in _children_of_kind(tbl, "tr", locator):
        trpr = tr.find(_w("trPr"))
        if trpr is not None and trpr.find(_w("del")) is not None:  # a row deleted with tracked changes
            continue
        rows.append((tr, tr_locator, list(_children_of_kind(tr, "tc", tr_locator))))
    return rows


def _children_of_kind(parent: etree._Element, wanted: str, path: str) -> Iterator[tuple[etree._Element, str]]:
    """Children named `wanted`, also inside content controls and custom-XML wrappers."""
    counts: Counter[str] = Counter()
    for child in parent:
        kind = _local(child)
        if kind is None:
            continue
        counts[kind] += 1
        locator = f"{path}/{kind}[{counts[kind]}]"
        if kind == wanted:
            yield child, locator
        elif kind == "sdt":
            content = child.find(_w("sdtContent"))
            if content is not None:
                yield from _children_of_kind(content, wanted, locator + "/sdtContent")
        elif kind == "customXml":
            yield from _children_of_kind(child, wanted, locator)


def _int_val(parent: etree._Element | None, tag: str, default: int) -> int:
    if parent is None:
        return default
    el = parent.find(_w(tag))
    if el is None:
        return default
    try:
        return int(el.get(_w("val"), default))
    except ValueError:
        return default


def _merge_val(tcpr: etree._Element | None, tag: str) -> str | None:
    """'restart', 'continue' or None for w:vMerge / w:hMerge (a bare element means continue)."""
    if tcpr is None:
        return None
    el = tcpr.find(_w(tag))
    if el is None:
        return None
    return "restart" if el.get(_w("val")) == "restart" else "continue"


def _place_cells(rows: list[_Row]) -> tuple[list[_Placed], int]:
    """Lay the w:tc elements on the table grid; return the merged cells and the grid width.

    A cell's grid column is the sum of the spans before it (w:gridBefore included). A vMerge
    continuation joins the cell above when it starts at the same column with the same span; one
    with nothing to continue starts a cell of its own. Grid columns where no cell starts (slivers
    left by misaligned borders) are removed and the spans crossing them shortened.
    """
    placed: list[_Placed] = []
    above: dict[int, _Placed] = {}  # grid column -> cell starting there whose bottom is the last row
    for r, (tr, _tr_locator, cells) in enumerate(rows):
        col = max(_int_val(tr.find(_w("trPr")), "gridBefore", 0), 0)
        previous: _Placed | None = None
        row_cells: dict[int, _Placed] = {}
        for tc, tc_locator in cells:
            tcpr = tc.find(_w("tcPr"))
            span = min(max(_int_val(tcpr, "gridSpan", 1), 1), MAX_COLSPAN)
            if _merge_val(tcpr, "hMerge") == "continue" and previous is not None \
                    and previous.row == r and previous.col + previous.colspan == col:
                previous.colspan += span
                previous.elements.append(tc)
                col += span
                continue
            if _merge_val(tcpr, "vMerge") == "continue":
                top = above.get(col)
                if top is not None and top.colspan == span and top.row + top.rowspan == r:
                    top.rowspan += 1
                    top.elements.append(tc)
                    row_cells[col] = top
                    previous = top
                    col += span
                    continue
            cell = _Placed(tc, tc_locator, r, col, span)
            placed.append(cell)
            row_cells[col] = cell
            previous = cell
            col += span
        above = row_cells
    return placed, drop_empty_columns(placed)


# ----------------------------------------------------------------------------- list numbering

_CN_DIGITS = "〇一二三四五六七八九"
_CN_LEGAL = "零壹贰叁肆伍陆柒捌玖"
_HEAVENLY_STEMS = "甲乙丙丁戊己庚辛壬癸"
_EARTHLY_BRANCHES = "子丑寅卯辰巳午未申酉戌亥"
_ROMAN = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"),
          (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))
_PLACEHOLDER = re.compile(r"%([1-9])")


def _chinese_count(n: int, digits: str = _CN_DIGITS, units: str = "十百千") -> str:
    """一 … 十 … 十一 … 二十 … 一百零五 (Word's chineseCounting for 1–9999)."""
    if n <= 0 or n > 9999:
        return str(n)
    if n < 10:
        return digits[n]
    out = ""
    zero = False
    for power, unit in ((1000, units[2]), (100, units[1]), (10, units[0])):
        d, n = divmod(n, power)
        if d:
            if zero:
                out += digits[0]
                zero = False
            # 十一 rather than 一十一 when ten is the leading unit
            out += ("" if (power == 10 and d == 1 and not out) else digits[d]) + unit
        elif out:
            zero = True
    if n:
        out += (digits[0] if zero else "") + digits[n]
    return out


def _letters(n: int) -> str:
    if n <= 0:
        return str(n)
    return chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def _roman(n: int) -> str:
    if n <= 0 or n >= 4000:
        return str(n)
    out = ""
    for value, numeral in _ROMAN:
        while n >= value:
            out += numeral
            n -= value
    return out


def format_number(n: int, fmt: str) -> str:
    """A list counter as Word prints it in the given w:numFmt."""
    if fmt in ("chineseCounting", "chineseCountingThousand", "japaneseCounting", "taiwaneseCounting",
               "taiwaneseCountingThousand", "ideographDigital"):
        return _chinese_count(n)
    if fmt == "chineseLegalSimplified":
        return _chinese_count(n, _CN_LEGAL, "拾佰仟")
    if fmt == "ideographTraditional":
        return _HEAVENLY_STEMS[(n - 1) % 10] if n > 0 else str(n)
    if fmt == "ideographZodiac":
        return _EARTHLY_BRANCHES[(n - 1) % 12] if n > 0 else str(n)
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese", "ideographEnclosedCircle"):
        return chr(0x2460 + n - 1) if 1 <= n <= 20 else str(n)
    if fmt == "decimalEnclosedParen":
        return chr(0x2474 + n - 1) if 1 <= n <= 20 else f"({n})"
    if fmt == "decimalEnclosedFullstop":
        return chr(0x2488 + n - 1) if 1 <= n <= 20 else f"{n}."
    if fmt in ("decimalFullWidth", "decimalFullWidth2"):
        return str(n).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "upperLetter":
        return _letters(n)
    if fmt == "lowerLetter":
        return _letters(n).lower()
    if fmt == "upperRoman":
        return _roman(n)
    if fmt == "lowerRoman":
        return _roman(n).lower()
    return str(n)  # decimal, ordinal, cardinalText and anything unknown


class _Level:
    __slots__ = ("fmt", "legal", "restart", "start", "suffix", "text")

    def __init__(self, lvl: etree._Element) -> None:
        self.start = _int_val(lvl, "start", 1)
        fmt = lvl.find(_w("numFmt"))
        self.fmt = fmt.get(_w("val"), "decimal") if fmt is not None else "decimal"
        text = lvl.find(_w("lvlText"))
        self.text = text.get(_w("val")) if text is not None else None
        self.restart = _int_val(lvl, "lvlRestart", -1)
        self.legal = lvl.find(_w("isLgl")) is not None
        suffix = lvl.find(_w("suff"))
        self.suffix = {"space": " ", "nothing": ""}.get(suffix.get(_w("val")) if suffix is not None else "tab",
                                                        "\t")


class _Numbering:
    """The counters of Word's automatic list numbering, advanced paragraph by paragraph.

    Counters belong to the abstract list (w:abstractNum), so numbering instances that share one
    continue each other's count unless an instance overrides its start.
    """

    def __init__(self, numbering: etree._Element | None, styles: etree._Element | None) -> None:
        self.abstract_levels: dict[str, dict[int, _Level]] = {}
        self.instances: dict[str, tuple[str, dict[int, int], dict[int, _Level]]] = {}
        self.style_numbering: dict[str, tuple[str | None, int | None]] = {}
        self.style_parent: dict[str, str] = {}
        self.counters: dict[str, dict[int, int]] = {}
        self.started: set[str] = set()
        if styles is not None:
            self._read_styles(styles)
        if numbering is not None:
            self._read_numbering(numbering)

    def _read_styles(self, styles: etree._Element) -> None:
        for style in styles.iter(_w("style")):
            style_id = style.get(_w("styleId"))
            if not style_id:
                continue
            based = style.find(_w("basedOn"))
            if based is not None and based.get(_w("val")):
                self.style_parent[style_id] = based.get(_w("val"))
            ppr = style.find(_w("pPr"))
            numpr = ppr.find(_w("numPr")) if ppr is not None else None
            if numpr is not None:
                num_id = numpr.find(_w("numId"))
                ilvl = numpr.find(_w("ilvl"))
                self.style_numbering[style_id] = (
                    num_id.get(_w("val")) if num_id is not None else None,
                    _safe_int(ilvl.get(_w("val"))) if ilvl is not None else None,
                )

    def _read_numbering(self, numbering: etree._Element) -> None:
        for abstract in numbering.iter(_w("abstractNum")):
            abstract_id = abstract.get(_w("abstractNumId"))
            if abstract_id is None:
                continue
            levels = {}
            for lvl in abstract.iter(_w("lvl")):
                ilvl = _safe_int(lvl.get(_w("ilvl")))
                if ilvl is not None:
                    levels[ilvl] = _Level(lvl)
            self.abstract_levels[abstract_id] = levels
        for num in numbering.iter(_w("num")):
            num_id = num.get(_w("numId"))
            ref = num.find(_w("abstractNumId"))
            if num_id is None or ref is None:
                continue
            starts: dict[int, int] = {}
            overrides: dict[int, _Level] = {}
            for override in num.iter(_w("lvlOverride")):
                ilvl = _safe_int(override.get(_w("ilvl")))
                if ilvl is None:
                    continue
                start = override.find(_w("startOverride"))
                if start is not None and _safe_int(start.get(_w("val"))) is not None:
                    starts[ilvl] = _safe_int(start.get(_w("val")))
                lvl = override.find(_w("lvl"))
                if lvl is not None:
                    overrides[ilvl] = _Level(lvl)
            self.instances[num_id] = (ref.get(_w("val")), starts, overrides)

    def _paragraph_numbering(self, p: etree._Element) -> tuple[str | None, int]:
        ppr = p.find(_w("pPr"))
        num_id: str | None = None
        ilvl: int | None = None
        style_id = None
        if ppr is not None:
            numpr = ppr.find(_w("numPr"))
            if numpr is not None:
                el = numpr.find(_w("numId"))
                num_id = el.get(_w("val")) if el is not None else None
                el = numpr.find(_w("ilvl"))
                ilvl = _safe_int(el.get(_w("val"))) if el is not None else None
            pstyle = ppr.find(_w("pStyle"))
            style_id = pstyle.get(_w("val")) if pstyle is not None else None
        seen: set[str] = set()
        while style_id and style_id not in seen and (num_id is None or ilvl is None):
            seen.add(style_id)
            style_num, style_lvl = self.style_numbering.get(style_id, (None, None))
            num_id = num_id if num_id is not None else style_num
            ilvl = ilvl if ilvl is not None else style_lvl
            style_id = self.style_parent.get(style_id)
        return num_id, ilvl or 0

    def label(self, p: etree._Element) -> str:
        """The number Word prints before this paragraph ('' when it is not in a list); advances the count."""
        if not self.instances:
            return ""
        num_id, ilvl = self._paragraph_numbering(p)
        if num_id is None or num_id == "0" or num_id not in self.instances:
            return ""
        abstract_id, starts, overrides = self.instances[num_id]
        levels = dict(self.abstract_levels.get(abstract_id, {}))
        levels.update(overrides)
        level = levels.get(ilvl)
        if level is None:
            return ""
        counters = self.counters.setdefault(abstract_id, {})
        if num_id not in self.started:
            self.started.add(num_id)
            for k, start in starts.items():
                counters[k] = start - 1
        counters[ilvl] = counters.get(ilvl, _start(levels, ilvl, starts) - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            restart = levels[deeper].restart if deeper in levels else -1
            # w:lvlRestart 0 means the level never restarts; otherwise it restarts after its level
            if restart != 0 and (restart < 0 or ilvl < restart):
                del counters[deeper]
        if level.fmt in ("bullet", "none") or level.text is None:
            return "" if level.fmt == "bullet" or level.text is None else level.text + level.suffix

        def number(match: re.Match[str]) -> str:
            k = int(match.group(1)) - 1
            value = counters.get(k, _start(levels, k, starts))
            fmt = levels[k].fmt if k in levels else "decimal"
            return format_number(value, "decimal" if (level.legal and k != ilvl) else fmt)

        return _PLACEHOLDER.sub(number, level.text) + level.suffix


def _start(levels: dict[int, _Level], ilvl: int, starts: dict[int, int]) -> int:
    if ilvl in starts:
        return starts[ilvl]
    return levels[ilvl].start if ilvl in levels else 1


def _safe_int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _related_xml(part: object, reltype: str) -> etree._Element | None:
    try:
        related = part.part_related_by(reltype)  # type: ignore[attr-defined]
    except KeyError:
        return None
    try:
        element = getattr(related, "element", None)
        return element if element is not None else parse_xml(related.blob)
    except etree.XMLSyntaxError:
        return None  # damaged numbering or styles: the text is still readable without them
