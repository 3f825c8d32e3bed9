"""Write the PDF reader fixtures in this folder and their hand-written expected values.

Run from anywhere: `python tests/extract/files/pdf/make_pdf_fixtures.py`. Needs nothing beyond the
standard library: the PDFs are written object by object, the text in the standard CJK font
STSong-Light (Adobe-GB1, UniGB-UCS2-H), which PDF readers know without an embedded font file, so
no font has to be installed here or in CI. Each fixture is a layout seen in real WPS/Word exports
(see /work/shared/corpus/VARIETY.md, PDF section); `<name>.expected.json` holds every block the
reader must return, written by hand here, never by running the reader. The tests read only the
committed PDFs and JSON files.

Every expected block names the page it starts on; expected tables are {"cells": rows of cell
texts, "merged": [[row, col, rowspan, colspan], ...]}, as for the HTML fixtures one folder up.
"""

from __future__ import annotations

import hashlib
import json
import re
import struct
import zlib
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

HERE = Path(__file__).resolve().parent
W, H = 595.0, 842.0  # A4 in points
LEFT, RIGHT = 72.0, 523.0
BODY = 14.0  # body type size
CELL = 10.5  # table type size
TITLE = 20.0
_DESCENT = 0.12  # STSong-Light descent, in ems: pdfminer puts a character's bottom there


# -- a minimal PDF writer ----------------------------------------------------------------------------


def _is_wide(ch: str) -> bool:
    return ord(ch) > 0x7F


def text_width(text: str, size: float) -> float:
    return sum(size if _is_wide(ch) else size / 2 for ch in text)


class Canvas:
    """One page's content stream; positions are given top-down as pdfplumber reports them."""

    def __init__(self) -> None:
        self.ops: list[str] = []
        self.images: list[str] = []

    def text(self, x: float, top: float, text: str, size: float, *, bold: bool = False,
             font: str = "F1") -> None:
        """Characters whose boxes span top..top+size; fake bold draws every glyph twice, offset."""
        baseline = H - top - size + _DESCENT * size
        encoded = text.encode("utf-16-be").hex().upper() if font == "F1" else \
            b"".join(struct.pack(">H", 0x100 + ord(ch) % 0x700) for ch in text).hex().upper()
        for dx in ((0.0, 0.4) if bold else (0.0,)):
            self.ops.append(f"BT /{font} {size:g} Tf 1 0 0 1 {x + dx:.2f} {baseline:.2f} Tm <{encoded}> Tj ET")

    def line(self, x0: float, top0: float, x1: float, top1: float, width: float = 0.5) -> None:
        self.ops.append(f"{width:g} w 0 G {x0:.2f} {H - top0:.2f} m {x1:.2f} {H - top1:.2f} l S")

    def box(self, x0: float, top: float, x1: float, bottom: float) -> None:
        self.ops.append(f"0.5 w 0 G {x0:.2f} {H - bottom:.2f} {x1 - x0:.2f} {bottom - top:.2f} re S")

    def white_box(self, x0: float, top: float, x1: float, bottom: float) -> None:
        """A white filled box without a border: invisible on the page (WPS paints them behind text)."""
        self.ops.append(f"1 1 1 rg {x0:.2f} {H - bottom:.2f} {x1 - x0:.2f} {bottom - top:.2f} re f 0 g")

    def image(self, name: str, x0: float, top: float, x1: float, bottom: float) -> None:
        self.images.append(name)
        self.ops.append(f"q {x1 - x0:.2f} 0 0 {bottom - top:.2f} {x0:.2f} {H - bottom:.2f} cm /{name} Do Q")

    def content(self) -> bytes:
        return ("\n".join(self.ops) + "\n").encode("latin-1")


def _rc4(key: bytes, data: bytes) -> bytes:
    s = list(range(256))
    j = 0
    for i in range(256):
        j = (j + s[i] + key[i % len(key)]) % 256
        s[i], s[j] = s[j], s[i]
    out = bytearray()
    i = j = 0
    for byte in data:
        i = (i + 1) % 256
        j = (j + s[i]) % 256
        s[i], s[j] = s[j], s[i]
        out.append(byte ^ s[(s[i] + s[j]) % 256])
    return bytes(out)


_PAD = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")


class _Encryption:
    """Standard security handler, revision 3, 128-bit RC4 (PDF 1.4, ISO 32000-1 §7.6.3)."""

    def __init__(self, user: str, owner: str, file_id: bytes, permissions: int = -3904) -> None:
        self.p, self.id = permissions, file_id
        user_pad = (user.encode("latin-1") + _PAD)[:32]
        owner_key = hashlib.md5((owner.encode("latin-1") + _PAD)[:32]).digest()
        for _ in range(50):
            owner_key = hashlib.md5(owner_key).digest()
        o = _rc4(owner_key, user_pad)
        for i in range(1, 20):
            o = _rc4(bytes(b ^ i for b in owner_key), o)
        self.o = o
        key = hashlib.md5(user_pad + o + struct.pack("<i", permissions) + file_id).digest()
        for _ in range(50):
            key = hashlib.md5(key).digest()
        self.key = key
        u = _rc4(key, hashlib.md5(_PAD + file_id).digest())
        for i in range(1, 20):
            u = _rc4(bytes(b ^ i for b in key), u)
        self.u = u + bytes(16)

    def dictionary(self) -> bytes:
        return (f"<< /Filter /Standard /V 2 /R 3 /Length 128 /P {self.p} "
                f"/O <{self.o.hex()}> /U <{self.u.hex()}> >>").encode()

    def stream(self, number: int, data: bytes) -> bytes:
        """A stream's or a string's bytes encrypted with the key of object `number`."""
        key = hashlib.md5(self.key + struct.pack("<i", number)[:3] + b"\x00\x00").digest()
        return _rc4(key, data)


def _encrypted_string(encryption: _Encryption, number: int, match: re.Match[bytes]) -> bytes:
    return b"<" + encryption.stream(number, match.group(1)).hex().encode() + b">"


@dataclass
class Pdf:
    """Objects in order; `add` returns an object number, `save` writes the file with its xref."""

    objects: list[bytes] = field(default_factory=list)
    streams: dict[int, bytes] = field(default_factory=dict)

    def add(self, body: str | bytes) -> int:
        self.objects.append(body.encode("latin-1") if isinstance(body, str) else body)
        return len(self.objects)

    def add_stream(self, data: bytes, extra: str = "", compress: bool = True) -> int:
        number = self.add(b"")
        if compress:
            data = zlib.compress(data)
            extra = "/Filter /FlateDecode " + extra
        self.objects[number - 1] = f"<< /Length {{length}} {extra}>>".encode()
        self.streams[number] = data
        return number

    def save(self, path: Path, encryption: _Encryption | None = None, file_id: bytes = b"\x00" * 16) -> None:
        out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
        offsets = []
        for number, body in enumerate(self.objects, start=1):
            offsets.append(len(out))
            out += f"{number} 0 obj\n".encode()
            if number in self.streams:
                data = self.streams[number]
                if encryption is not None:
                    data = encryption.stream(number, data)
                out += body.replace(b"{length}", str(len(data)).encode()) + b"\nstream\n" + data + b"\nendstream"
            elif encryption is not None:
                # Strings are encrypted too (CIDSystemInfo's Registry and Ordering here).
                out += re.sub(rb"\(([^()\\]*)\)", partial(_encrypted_string, encryption, number), body)
            else:
                out += body
            out += b"\nendobj\n"
        encrypt_ref = ""
        if encryption is not None:
            offsets.append(len(out))
            encrypt_number = len(self.objects) + 1
            out += f"{encrypt_number} 0 obj\n".encode() + encryption.dictionary() + b"\nendobj\n"
            encrypt_ref = f" /Encrypt {encrypt_number} 0 R"
        xref = len(out)
        out += f"xref\n0 {len(offsets) + 1}\n0000000000 65535 f \n".encode()
        for offset in offsets:
            out += f"{offset:010d} 00000 n \n".encode()
        out += (f"trailer\n<< /Size {len(offsets) + 1} /Root 1 0 R /Info 2 0 R{encrypt_ref} "
                f"/ID [<{file_id.hex()}> <{file_id.hex()}>] >>\nstartxref\n{xref}\n%%EOF\n").encode()
        path.write_bytes(bytes(out))


def write_pdf(path: Path, pages: list[Canvas], *, title: str = "", encryption: _Encryption | None = None,
              file_id: bytes = b"\x00" * 16, page_attrs: str = "", mediabox: tuple[float, ...] = (0, 0, W, H),
              prefix: str = "", as_form: bool = False) -> None:
    """The pages as a PDF; `page_attrs` (e.g. /Rotate 90), `mediabox`, a content `prefix` (e.g. a
    cm moving the drawing into an offset MediaBox) and `as_form` (each page's drawing in a form
    XObject) vary the page geometry the readers must undo."""
    pdf = Pdf()
    pdf.add("")  # 1: catalog, filled in below
    # Strings of an encrypted file would have to be encrypted too: its information dictionary stays empty.
    info = "" if encryption else "/Producer (make_pdf_fixtures)"
    if title:
        info += f" /Title <FEFF{title.encode('utf-16-be').hex()}>"
    pdf.add(f"<< {info} >>")  # 2
    pdf.add("")  # 3: page tree
    descriptor = pdf.add("<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [-25 -254 1000 880] "
                         "/ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >>")
    cid_font = pdf.add(f"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo "
                       f"<< /Registry (Adobe) /Ordering (GB1) /Supplement 4 >> /FontDescriptor {descriptor} 0 R "
                       "/DW 1000 /W [1 95 500] >>")
    font = pdf.add(f"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H "
                   f"/DescendantFonts [{cid_font} 0 R] >>")
    # F2: glyph codes without any Unicode mapping, as in PDFs whose text comes out as (cid:NN).
    raw_cid_font = pdf.add(f"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /NoUnicode /CIDSystemInfo "
                           f"<< /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> "
                           f"/FontDescriptor {descriptor} 0 R /DW 1000 >>")
    raw_font = pdf.add(f"<< /Type /Font /Subtype /Type0 /BaseFont /NoUnicode /Encoding /Identity-H "
                       f"/DescendantFonts [{raw_cid_font} 0 R] >>")
    scan = _gray_image()
    image = pdf.add_stream(scan, "/Type /XObject /Subtype /Image /Width 64 /Height 64 /ColorSpace /DeviceGray "
                                 "/BitsPerComponent 8 ")
    kids = []
    box = " ".join(f"{v:g}" for v in mediabox)
    for canvas in pages:
        xobjects = " ".join(f"/{name} {image} 0 R" for name in sorted(set(canvas.images)))
        resources = f"<< /Font << /F1 {font} 0 R /F2 {raw_font} 0 R >> /XObject << {xobjects} >> >>"
        drawing = (prefix + "\n").encode("latin-1") + canvas.content() if prefix else canvas.content()
        if as_form:
            form = pdf.add_stream(drawing, f"/Type /XObject /Subtype /Form /BBox [0 0 {W:g} {H:g}] "
                                           f"/Matrix [1 0 0 1 0 0] /Resources {resources} ")
            content = pdf.add_stream(b"q 1 0 0 1 0 0 cm /Fm1 Do Q\n")
            resources = f"<< /XObject << /Fm1 {form} 0 R >> >>"
        else:
            content = pdf.add_stream(drawing)
        kids.append(pdf.add(
            f"<< /Type /Page /Parent 3 0 R /MediaBox [{box}] {page_attrs + ' ' if page_attrs else ''}/Contents {content} 0 R "
            f"/Resources {resources} >>"))
    pdf.objects[0] = b"<< /Type /Catalog /Pages 3 0 R >>"
    pdf.objects[2] = f"<< /Type /Pages /Kids [{' '.join(f'{k} 0 R' for k in kids)}] /Count {len(kids)} >>".encode()
    path.parent.mkdir(parents=True, exist_ok=True)
    pdf.save(path, encryption, file_id)


def _gray_image() -> bytes:
    """A 64x64 grey 'scan': stripes like lines of print."""
    return bytes((40 if (y // 4) % 3 == 0 and 4 < x < 60 else 235) for y in range(64) for x in range(64))


# -- page layout helpers -----------------------------------------------------------------------------


def wrap(text: str, width: float, size: float) -> list[str]:
    """Greedy line breaking; ASCII words stay whole."""
    tokens: list[str] = []
    for ch in text:
        if not _is_wide(ch) and ch != " " and tokens and not _is_wide(tokens[-1][-1]) and tokens[-1][-1] != " ":
            tokens[-1] += ch
        else:
            tokens.append(ch)
    lines, current = [], ""
    for token in tokens:
        if current and text_width(current + token, size) > width + 0.01:
            lines.append(current.rstrip())
            current = token.lstrip()
        else:
            current += token
    if current.strip():
        lines.append(current.rstrip())
    return lines


def paragraph(canvas: Canvas, text: str, top: float, *, indent: int = 2, size: float = BODY,
              leading: float = 1.6) -> float:
    """A body paragraph from `top`, first line indented by `indent` characters; returns the next top."""
    first_width = RIGHT - LEFT - indent * size
    lines = wrap(text, first_width, size)
    rest = wrap(text[len(lines[0]):].lstrip(), RIGHT - LEFT, size) if len(lines) > 1 else []
    for i, line in enumerate([lines[0]] + rest):
        canvas.text(LEFT + (indent * size if i == 0 else 0), top, line, size)
        top += size * leading
    return top


def heading(canvas: Canvas, text: str, top: float, *, size: float = BODY, bold: bool = False) -> float:
    canvas.text(LEFT + 2 * size, top, text, size, bold=bold)
    return top + size * 1.6


def centered(canvas: Canvas, text: str, top: float, size: float) -> float:
    canvas.text((W - text_width(text, size)) / 2, top, text, size)
    return top + size * 1.5


def running_head(canvas: Canvas, text: str) -> None:
    canvas.text(RIGHT - text_width(text, 9), 36, text, 9)
    canvas.line(LEFT, 48, RIGHT, 48)


def footer(canvas: Canvas, number: int) -> None:
    text = f"- {number} -"
    canvas.text((W - text_width(text, 10.5)) / 2, 800, text, 10.5)


@dataclass
class TCell:
    row: int
    col: int
    text: str
    rowspan: int = 1
    colspan: int = 1
    bold: bool = False


def draw_table(canvas: Canvas, xs: list[float], top: float, heights: list[float], cells: list[TCell],
               *, size: float = CELL, frame: tuple[float, float] | None = None) -> float:
    """A ruled table: every cell outlined, its text wrapped to the cell and centred both ways
    (so a one-line value sits beside the middle of a wrapped label, and a one-character column
    stacks its label one character per line). Returns the table's bottom."""
    ys = [top]
    for h in heights:
        ys.append(ys[-1] + h)
    for cell in cells:
        x0, x1 = xs[cell.col], xs[cell.col + cell.colspan]
        y0, y1 = ys[cell.row], ys[cell.row + cell.rowspan]
        canvas.box(x0, y0, x1, y1)
        lines = wrap(cell.text, x1 - x0 - 4, size) if cell.text else []
        step = size * 1.25
        first = (y0 + y1) / 2 - (len(lines) * step - (step - size)) / 2
        for i, line in enumerate(lines):
            canvas.text((x0 + x1) / 2 - text_width(line, size) / 2, first + i * step, line, size, bold=cell.bold)
    return ys[-1]


# -- the expected values -----------------------------------------------------------------------------


def grid(cells: list[TCell], n_rows: int, n_cols: int) -> dict:
    """The expected {"cells", "merged"} of a logical table given as source cells."""
    texts = [[""] * n_cols for _ in range(n_rows)]
    merged = []
    for c in cells:
        for r in range(c.row, c.row + c.rowspan):
            for k in range(c.col, c.col + c.colspan):
                texts[r][k] = c.text
        if c.rowspan > 1 or c.colspan > 1:
            merged.append([c.row, c.col, c.rowspan, c.colspan])
    return {"cells": texts, "merged": sorted(merged)}


def write_expected(name: str, blocks: list[dict], *, title: str | None, metadata: dict[str, str]) -> None:
    spec = {"file": name, "format": "pdf", "title": title, "metadata": metadata, "blocks": blocks}
    (HERE / name.replace(".pdf", ".expected.json")).write_text(
        json.dumps(spec, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def meta(pages: int, title: str = "", encrypted: bool = False) -> dict[str, str]:
    out = {} if encrypted else {"pdf_producer": "make_pdf_fixtures"}
    out["pages"] = str(pages)
    if title:
        out["pdf_title"] = title
    return out


# -- section 三 as a table ---------------------------------------------------------------------------

NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
APPLICANTS = ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
# Column lines: a one-character column for the vertical group label, two label columns, 7 values.
XS_APPS = [LEFT, 94, 178, 300, 332, 362, 392, 422, 452, 482, RIGHT]


def apps_header(bold: bool = True) -> list[TCell]:
    cells = [TCell(0, 0, NOTE, 3, 3, bold), TCell(0, 3, "申请人情况", 1, 7, bold),
             TCell(1, 3, "自然人", 2, 1, bold), TCell(1, 4, "法人或其他组织", 1, 5, bold), TCell(1, 9, "总计", 2, 1, bold)]
    cells += [TCell(2, 4 + i, label, bold=bold) for i, label in enumerate(APPLICANTS)]
    return cells


def values_row(row: int, values: list[str]) -> list[TCell]:
    return [TCell(row, 3 + i, v) for i, v in enumerate(values)]


# -- fixture 1: one page, merged cells, vertical label, wrapped labels, fake bold, footer ------------


def merged_cells() -> None:
    name = "merged_cells.pdf"
    page, cells, heights, intro = _merged_cells_page()
    write_pdf(HERE / name, [page], title="年度报告")
    write_expected(name, [
        {"page": 1, "text": "测试市测试区人民政府2023年政府信息公开工作年度报告"},
        {"page": 1, "text": intro.replace(" Open", "Open").replace("Index ", "Index")},
        {"page": 1, "text": "三、收到和处理政府信息公开申请情况"},
        {"page": 1, "table": grid(cells, len(heights), 10)},
        {"page": 1, "text": "六、其他需要报告的事项"},
        {"page": 1, "text": "本年度未收取信息处理费。"},
        {"page": 1, "text": "2024年1月20日"},
    ], title="测试市测试区人民政府2023年政府信息公开工作年度报告", metadata=meta(1, "年度报告"))


# The page geometries tests/unit/extract/test_pdfium_page.py makes of the merged-cells page.
VARIANTS = {
    "rotate90": {"page_attrs": "/Rotate 90"},
    "rotate180": {"page_attrs": "/Rotate 180"},
    "rotate270": {"page_attrs": "/Rotate 270"},
    "offset_mediabox": {"mediabox": (30, 40, W + 30, H + 40), "prefix": "1 0 0 1 30 40 cm"},
    "cropbox": {"page_attrs": f"/CropBox [20 30 {W - 20:g} {H - 30:g}]"},
    "form": {"as_form": True},
    "scaled_text": {},
}


def write_variant(path: Path, variant: str) -> None:
    """The merged-cells page, with a stamp drawn in curves, in one of the VARIANTS geometries;
    scaled_text sets every text object in 80 % horizontal scaling (Tz)."""
    page, *_ = _merged_cells_page()
    # a round stamp: four Bezier curves, and a curved ruling (pdfminer's LTCurve)
    x, y, r, k = 450.0, 150.0, 40.0, 22.0
    page.ops.append(f"0.8 w 1 0 0 RG {x + r:.2f} {y:.2f} m {x + r:.2f} {y + k:.2f} {x + k:.2f} {y + r:.2f} {x:.2f} "
                    f"{y + r:.2f} c {x - k:.2f} {y + r:.2f} {x - r:.2f} {y + k:.2f} {x - r:.2f} {y:.2f} c "
                    f"{x - r:.2f} {y - k:.2f} {x - k:.2f} {y - r:.2f} {x:.2f} {y - r:.2f} c {x + k:.2f} {y - r:.2f} "
                    f"{x + r:.2f} {y - k:.2f} {x + r:.2f} {y:.2f} c h S 0 G")
    page.ops.append("0.5 w 100 60 m 200 60 l 200 70 l S")
    if variant == "scaled_text":
        page.ops = [op.replace(" Tf ", " Tf 80 Tz ") for op in page.ops]
    write_pdf(path, [page], title="年度报告", **VARIANTS[variant])


def _merged_cells_page() -> tuple[Canvas, list[TCell], list[float], str]:
    page = Canvas()
    top = centered(page, "测试市测试区人民政府", 60, TITLE)
    top = centered(page, "2023年政府信息公开工作年度报告", top, TITLE) + 10
    intro = ("本报告根据《中华人民共和国政府信息公开条例》（国令第711号）编制，数据统计期限自2023年1月1日起至"
             "2023年12月31日止，数据口径参照 Open Government Data Index 的说明。")
    top = paragraph(page, intro, top)
    top = heading(page, "三、收到和处理政府信息公开申请情况", top, bold=True)
    # Rows: 3 header rows; 一、; 二、; (一); (二) wrapped over three lines; (三) group of two; (四) 总计; 四、.
    heights = [26, 26, 40, 22, 22, 22, 48, 30, 30, 22, 22]
    zeros = ["0"] * 6
    cells = apps_header() + [
        TCell(3, 0, "一、本年新收政府信息公开申请数量", 1, 3), *values_row(3, ["5", *zeros[:5], "5"]),
        TCell(4, 0, "二、上年结转政府信息公开申请数量", 1, 3), *values_row(4, ["1", *zeros[:5], "1"]),
        TCell(5, 0, "三、本年度办理结果", 5, 1),
        TCell(5, 1, "（一）予以公开", 1, 2), *values_row(5, ["3", *zeros[:5], "3"]),
        TCell(6, 1, "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", 1, 2), *values_row(6, ["2", *zeros[:5], "2"]),
        TCell(7, 1, "（三）不予公开", 2, 1),
        TCell(7, 2, "1.属于国家秘密"), *values_row(7, ["0", *zeros]),
        TCell(8, 2, "2.其他法律行政法规禁止公开"), *values_row(8, ["1", *zeros[:5], "1"]),
        TCell(9, 1, "（七）总计", 1, 2), *values_row(9, ["6", *zeros[:5], "6"]),
        TCell(10, 0, "四、结转下年度继续办理", 1, 3), *values_row(10, zeros + ["0"]),
    ]
    top = draw_table(page, XS_APPS, top, heights, cells) + 20
    top = paragraph(page, "六、其他需要报告的事项", top, indent=2)
    paragraph(page, "本年度未收取信息处理费。", top)
    page.text(RIGHT - text_width("2024年1月20日", BODY), 720, "2024年1月20日", BODY)
    footer(page, 1)
    return page, cells, [float(h) for h in heights], intro


# -- fixture 2: one table over three pages -----------------------------------------------------------


def continued() -> None:
    """Page 1 -> 2: the header is repeated and the row （二）部分公开… is split, its label running on
    below the break while its numbers stay above. Page 2 -> 3: no header; the vertical label and
    the group label （三）不予公开 carry on as empty cells; the page number falls between the rows and
    （续表） opens page 3. Every page has a running head above a rule."""
    name = "continued.pdf"
    p1, p2, p3 = Canvas(), Canvas(), Canvas()
    for page in (p1, p2, p3):
        running_head(page, "测试县教育局政府信息公开年度报告")
    top = centered(p1, "测试县教育局2022年政府信息公开工作年度报告", 60, TITLE) + 10
    top = heading(p1, "三、收到和处理政府信息公开申请情况", top)
    top = 560  # the table starts low so that it runs over the page end
    zeros5 = ["0"] * 5
    piece1 = apps_header(bold=False) + [
        TCell(3, 0, "一、本年新收政府信息公开申请数量", 1, 3), *values_row(3, ["12", *zeros5, "12"]),
        TCell(4, 0, "二、上年结转政府信息公开申请数量", 1, 3), *values_row(4, ["0", *zeros5, "0"]),
        TCell(5, 0, "三、本", 2, 1),
        TCell(5, 1, "（一）予以公开", 1, 2), *values_row(5, ["7", "1", *zeros5[:4], "8"]),
        TCell(6, 1, "（二）部分公开（区分处理的，", 1, 2), *values_row(6, ["2", *zeros5, "2"]),
    ]
    draw_table(p1, XS_APPS, top, [26, 26, 40, 22, 22, 22, 24], piece1)
    footer(p1, 1)
    piece2 = apps_header(bold=False) + [
        TCell(3, 0, "年度办理结果", 6, 1),
        TCell(3, 1, "只计这一情形，不计其他情形）", 1, 2), *values_row(3, [""] * 7),
        TCell(4, 1, "（三）不予公开", 5, 1),
        TCell(4, 2, "1.属于国家秘密"), *values_row(4, ["0", *zeros5, "0"]),
        TCell(5, 2, "2.其他法律行政法规禁止公开"), *values_row(5, ["1", *zeros5, "1"]),
        TCell(6, 2, "3.危及“三安全一稳定”"), *values_row(6, ["0", *zeros5, "0"]),
        TCell(7, 2, "4.保护第三方合法权益"), *values_row(7, ["0", *zeros5, "0"]),
        TCell(8, 2, "5.属于三类内部事务信息"), *values_row(8, ["1", *zeros5, "1"]),
    ]
    draw_table(p2, XS_APPS, 72, [26, 26, 40, 24, 22, 30, 22, 22, 22], piece2)
    footer(p2, 2)
    p3.text(LEFT, 54, "（续表）", CELL)
    piece3 = [
        TCell(0, 0, "", 3, 1), TCell(0, 1, "", 2, 1),
        TCell(0, 2, "6.属于四类过程性信息"), *values_row(0, ["0", *zeros5, "0"]),
        TCell(1, 2, "7.属于行政执法案卷"), *values_row(1, ["0", *zeros5, "0"]),
        TCell(2, 1, "（七）总计", 1, 2), *values_row(2, ["12", "1", *zeros5[:4], "13"]),
        TCell(3, 0, "四、结转下年度继续办理", 1, 3), *values_row(3, ["0", *zeros5, "0"]),
    ]
    bottom = draw_table(p3, XS_APPS, 72, [22, 22, 22, 22], piece3)
    paragraph(p3, "四、政府信息公开行政复议、行政诉讼情况", bottom + 20)
    footer(p3, 3)
    write_pdf(HERE / name, [p1, p2, p3])
    logical = apps_header(bold=False) + [
        TCell(3, 0, "一、本年新收政府信息公开申请数量", 1, 3), *values_row(3, ["12", *zeros5, "12"]),
        TCell(4, 0, "二、上年结转政府信息公开申请数量", 1, 3), *values_row(4, ["0", *zeros5, "0"]),
        TCell(5, 0, "三、本年度办理结果", 10, 1),
        TCell(5, 1, "（一）予以公开", 1, 2), *values_row(5, ["7", "1", *zeros5[:4], "8"]),
        TCell(6, 1, "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", 1, 2), *values_row(6, ["2", *zeros5, "2"]),
        TCell(7, 1, "（三）不予公开", 7, 1),
        TCell(7, 2, "1.属于国家秘密"), *values_row(7, ["0", *zeros5, "0"]),
        TCell(8, 2, "2.其他法律行政法规禁止公开"), *values_row(8, ["1", *zeros5, "1"]),
        TCell(9, 2, "3.危及“三安全一稳定”"), *values_row(9, ["0", *zeros5, "0"]),
        TCell(10, 2, "4.保护第三方合法权益"), *values_row(10, ["0", *zeros5, "0"]),
        TCell(11, 2, "5.属于三类内部事务信息"), *values_row(11, ["1", *zeros5, "1"]),
        TCell(12, 2, "6.属于四类过程性信息"), *values_row(12, ["0", *zeros5, "0"]),
        TCell(13, 2, "7.属于行政执法案卷"), *values_row(13, ["0", *zeros5, "0"]),
        TCell(14, 1, "（七）总计", 1, 2), *values_row(14, ["12", "1", *zeros5[:4], "13"]),
        TCell(15, 0, "四、结转下年度继续办理", 1, 3), *values_row(15, ["0", *zeros5, "0"]),
    ]
    write_expected(name, [
        {"page": 1, "text": "测试县教育局2022年政府信息公开工作年度报告"},
        {"page": 1, "text": "三、收到和处理政府信息公开申请情况"},
        {"page": 1, "table": grid(logical, 16, 10)},
        {"page": 3, "text": "四、政府信息公开行政复议、行政诉讼情况"},
    ], title="测试县教育局2022年政府信息公开工作年度报告", metadata=meta(3))


# -- fixture 3: a visible page frame touching a table; a row split with its numbers apart ------------


def frame() -> None:
    """The body text sits in a drawn one-column frame (one box per line, as some editors export
    it) whose last boxes touch the section 二 table; the table continues on page 2 without a
    header, its first row the rest of 行政规范性文件 with the label empty and only the last two
    numbers; after it the frame carries on."""
    name = "frame.pdf"
    p1, p2 = Canvas(), Canvas()
    top = centered(p1, "测试镇人民政府", 50, TITLE)
    top = centered(p1, "2021年政府信息公开工作年度报告", top, TITLE) + 10
    x0, x1 = LEFT - 2, RIGHT + 2
    text1 = ("本镇坚持以公开为常态、不公开为例外，围绕群众关切推进政务公开，全年主动公开各类政府信息一百二十条，"
             "办理依申请公开事项三件。")
    first = wrap(text1, RIGHT - LEFT - 2 * BODY, BODY)[0]
    rest = wrap(text1[len(first):], RIGHT - LEFT, BODY)
    lines = [("一、总体情况", True), (first, True), *((ln, False) for ln in rest), ("二、主动公开政府信息情况", True)]
    for text, indented in lines:
        p1.box(x0, top, x1, top + 24)
        p1.text(LEFT + (2 * BODY if indented else 0), top + 5, text, BODY)
        top += 24
    xs = [x0, 230, 340, 430, x1]
    cells = [
        TCell(0, 0, "第二十条第（一）项", 1, 4),
        TCell(1, 0, "信息内容"), TCell(1, 1, "本年制发件数"), TCell(1, 2, "本年废止件数"), TCell(1, 3, "现行有效件数"),
        TCell(2, 0, "规章"), TCell(2, 1, "0"), TCell(2, 2, "0"), TCell(2, 3, "0"),
        TCell(3, 0, "行政规范性文件"), TCell(3, 1, "4"),
        TCell(3, 2, ""), TCell(3, 3, ""),
    ]
    draw_table(p1, xs, top, [24, 30, 24, 24], cells)
    footer(p1, 1)
    cells2 = [
        TCell(0, 0, ""), TCell(0, 1, ""), TCell(0, 2, "1"), TCell(0, 3, "9"),
        TCell(1, 0, "第二十条第（五）项", 1, 4),
        TCell(2, 0, "信息内容"), TCell(2, 1, "本年处理决定数量", 1, 3),
        TCell(3, 0, "行政许可"), TCell(3, 1, "1,024", 1, 3),
    ]
    top = draw_table(p2, xs, 72, [24, 24, 30, 24], cells2)
    for text in ["三、收到和处理政府信息公开申请情况", "本年度收到申请三件。"]:
        p2.box(x0, top, x1, top + 24)
        p2.text(LEFT + 2 * BODY, top + 5, text, BODY)
        top += 24
    footer(p2, 2)
    write_pdf(HERE / name, [p1, p2])
    logical = [
        TCell(0, 0, "第二十条第（一）项", 1, 4),
        TCell(1, 0, "信息内容"), TCell(1, 1, "本年制发件数"), TCell(1, 2, "本年废止件数"), TCell(1, 3, "现行有效件数"),
        TCell(2, 0, "规章"), TCell(2, 1, "0"), TCell(2, 2, "0"), TCell(2, 3, "0"),
        TCell(3, 0, "行政规范性文件"), TCell(3, 1, "4"), TCell(3, 2, "1"), TCell(3, 3, "9"),
        TCell(4, 0, "第二十条第（五）项", 1, 4),
        TCell(5, 0, "信息内容"), TCell(5, 1, "本年处理决定数量", 1, 3),
        TCell(6, 0, "行政许可"), TCell(6, 1, "1,024", 1, 3),
    ]
    write_expected(name, [
        {"page": 1, "text": "测试镇人民政府2021年政府信息公开工作年度报告"},
        {"page": 1, "text": "一、总体情况"},
        {"page": 1, "text": text1},
        {"page": 1, "text": "二、主动公开政府信息情况"},
        {"page": 1, "table": grid(logical, 7, 4)},
        {"page": 2, "text": "三、收到和处理政府信息公开申请情况"},
        {"page": 2, "text": "本年度收到申请三件。"},
    ], title="测试镇人民政府2021年政府信息公开工作年度报告", metadata=meta(2))


# -- fixture 4: WPS-style invisible boxes behind every line, and no title in large type -------------


def white_boxes() -> None:
    name = "white_boxes.pdf"
    page = Canvas()
    top = 80.0
    texts = ["测试区财政局2020年政府信息公开工作年度报告", "一、总体情况", "本局全年主动公开信息四十二条。"]
    for text in texts:
        page.white_box(LEFT - 2, top, RIGHT + 2, top + 28)
        page.text(LEFT + 2 * BODY, top + 7, text, BODY)
        top += 28
    # A table without ruling lines: its fields stand apart on the line.
    for x, text in ((LEFT + 2 * BODY, "行政规范性文件"), (300, "3"), (400, "12")):
        page.text(x, top + 7, text, BODY)
    footer(page, 1)
    write_pdf(HERE / name, [page])
    write_expected(name, [{"page": 1, "text": t} for t in [*texts, "行政规范性文件", "3", "12"]], title=None,
                   metadata=meta(1))


# -- unreadable PDFs -------------------------------------------------------------------------------


def simple_page(text: str) -> Canvas:
    page = Canvas()
    page.text(LEFT, 80, text, BODY)
    return page


def unreadable() -> None:
    file_id = hashlib.md5(b"nianbao fixtures").digest()
    write_pdf(HERE / "encrypted.pdf", [simple_page("加密的年度报告")], file_id=file_id,
              encryption=_Encryption(user="secret", owner="owner", file_id=file_id))
    # Encrypted with an empty user password (restrictions only): opens without asking.
    write_pdf(HERE / "owner_password.pdf", [simple_page("只限制打印的年度报告")], file_id=file_id,
              encryption=_Encryption(user="", owner="owner", file_id=file_id))
    write_expected("owner_password.pdf", [{"page": 1, "text": "只限制打印的年度报告"}], title=None,
                   metadata=meta(1, encrypted=True))
    scans = []
    for number in (1, 2):
        page = Canvas()
        page.image("Im1", 0, 0, W, H)
        scans.append(page)
    write_pdf(HERE / "scanned.pdf", scans)
    cid = Canvas()
    cid.text(LEFT, 80, "没有字符映射的文字行一", BODY, font="F2")
    cid.text(LEFT, 110, "没有字符映射的文字行二", BODY, font="F2")
    write_pdf(HERE / "cid_glyphs.pdf", [cid])
    # Two text pages and one scanned page: read, with the scanned page noted for OCR.
    scan = Canvas()
    scan.image("Im1", 0, 0, W, H)
    write_pdf(HERE / "one_scanned_page.pdf", [simple_page("第一页的文字"), scan, simple_page("第三页的文字")])
    write_expected("one_scanned_page.pdf", [{"page": 1, "text": "第一页的文字"}, {"page": 3, "text": "第三页的文字"}],
                   title=None,
                   metadata={**meta(3), "ocr_needed_pages": "2"})


def ruling_storm() -> None:
    """A page of 240 x 160 close ruling lines: pdfplumber needs a minute or more to find its cells."""
    page = Canvas()
    for i in range(240):
        page.line(50, 50 + i * 3.1, 546, 50 + i * 3.1, 0.1)
    for i in range(160):
        page.line(50 + i * 3.1, 50, 50 + i * 3.1, 791, 0.1)
    page.text(LEFT, 60, "表格线过密的页面", BODY)
    write_pdf(HERE / "ruling_storm.pdf", [page])


def main() -> None:
    merged_cells()
    continued()
    frame()
    white_boxes()
    unreadable()
    ruling_storm()


if __name__ == "__main__":
    main()
