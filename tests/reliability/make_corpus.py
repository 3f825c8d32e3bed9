"""Generate the reliability corpus: good reports mixed with bad input of every kind we know (issue
15 and 16): bombs, pathological parser inputs, broken files, and what a file system can hold. The
large kinds are generated on the fly (a few seconds, mostly compressed), never committed.

    python tests/reliability/make_corpus.py OUT_FOLDER     # writes the corpus, prints its cases

Each Case names a file (relative to the folder), the status the ingest must record and a
regular expression its reason must match. `good` cases are copies of reports whose values are
compared, cell by cell, with the same report ingested alone.
"""

from __future__ import annotations

import io
import os
import struct
import sys
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "data" / "samples"
OFFICE = ROOT / "tests" / "files" / "office"

GOOD = {
    "good/hongze_zfb_2019.html": SAMPLES / "hongze_zfb_2019.html",
    "good/laifeng_nyncj_2020.html": SAMPLES / "laifeng_nyncj_2020.html",
    "good/xihu_rsj_2021.txt": SAMPLES / "xihu_rsj_2021.txt",
    "good/cangnan_rsj_2022.docx": OFFICE / "cangnan_rsj_2022.docx",
    "good/cangnan_rsj_2022.pdf": OFFICE / "cangnan_rsj_2022.pdf",
}


@dataclass(frozen=True)
class Case:
    path: str            # relative to the corpus folder
    status: str          # the status recorded for it (`skipped`: left out by discovery, noted in the run)
    reason: str = ""     # regular expression its reason must match (search)
    same_as: str = ""    # a good report: must be stored with exactly the values of this original


# ------------------------------------------------------------------------------ builders

def _pdf(objects: list[bytes]) -> bytes:
    """A PDF of the given objects (1 is the catalog), with a correct xref table."""
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % i + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def _stream(data: bytes, extra: bytes = b"", compress: bool = True) -> bytes:
    if compress:
        data = zlib.compress(data, 6)
        extra += b" /Filter /FlateDecode"
    return b"<< /Length %d%s >>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def _one_page_pdf(content: bytes, resources: bytes = b"<< >>", more: list[bytes] | None = None,
                  media_box: bytes = b"[0 0 595 842]") -> bytes:
    return _pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox " + media_box + b" /Contents 4 0 R /Resources "
        + resources + b" >>",
        _stream(content),
        *(more or []),
    ])


def pdf_many_operators() -> bytes:
    # ~70 MB of text operators once decompressed; a few hundred KB on disk.
    return _one_page_pdf(b"BT /F1 1 Tf 10 10 Td (a) Tj ET\n" * 2_300_000,
                         b"<< /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >>")


def pdf_xobject_fanout() -> bytes:
    # Form n draws form n+1 ten times, eight levels deep: 10^8 draws of the last form.
    levels = 8
    more = []
    for n in range(levels):
        obj = 5 + n
        if n < levels - 1:
            body = b"/X Do\n" * 10
            res = b" /Resources << /XObject << /X %d 0 R >> >>" % (obj + 1)
        else:
            body, res = b"0 0 m 10 10 l S\n", b""
        more.append(_stream(body, b" /Type /XObject /Subtype /Form /BBox [0 0 10 10]" + res))
    return _one_page_pdf(b"/X Do\n" * 10, b"<< /XObject << /X 5 0 R >> >>", more)


def pdf_huge_image() -> bytes:
    # A 30000 x 30000 grey image (900 million pixels) drawn on an A4 page; ~1 MB compressed.
    w = h = 30000
    compressor = zlib.compressobj(9)
    row = b"\xff" * w
    data = b"".join(compressor.compress(row) for _ in range(h)) + compressor.flush()
    image = (b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray "
             b"/BitsPerComponent 8 /Filter /FlateDecode /Length %d >>\nstream\n" % (w, h, len(data))
             + data + b"\nendstream")
    return _one_page_pdf(b"q 595 0 0 842 0 0 cm /Im Do Q", b"<< /XObject << /Im 5 0 R >> >>", [image])


def pdf_huge_page() -> bytes:
    # A scan-like page (no text, one small image) of 200 x 200 inches: OCR at 200 dpi would
    # render 40000 x 40000 pixels; it is downscaled to the pixel budget instead.
    w = h = 64
    image = (b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray "
             b"/BitsPerComponent 8 /Length %d >>\nstream\n" % (w, h, w * h) + b"\xff" * (w * h) + b"\nendstream")
    return _one_page_pdf(b"q 14400 0 0 14400 0 0 cm /Im Do Q", b"<< /XObject << /Im 5 0 R >> >>", [image],
                         media_box=b"[0 0 14400 14400]")


def pdf_many_pages(n: int = 2000) -> bytes:
    kids = b" ".join(b"%d 0 R" % (3 + i) for i in range(n))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % n]
    content_id = 3 + n
    objects += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents %d 0 R >>" % content_id] * n
    objects.append(_stream(b"0 0 m 1 1 l S"))
    return _pdf(objects)


def pdf_encrypted() -> bytes:
    pdf = _one_page_pdf(b"BT /F1 12 Tf 10 10 Td (secret) Tj ET")
    return pdf.replace(b"/Root 1 0 R >>", b"/Root 1 0 R /Encrypt << /Filter /Standard /V 2 /R 3 /Length 128 "
                       b"/O <" + b"00" * 32 + b"> /U <" + b"00" * 32 + b"> /P -4 >> "
                       b"/ID [<" + b"11" * 16 + b"> <" + b"11" * 16 + b">] >>")


def _docx(document_xml: bytes | Callable[[zipfile.ZipFile], None], extra: int = 0) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml",
                   '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
                   'content-types"><Default Extension="xml" ContentType="application/xml"/>'
                   '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
                   'officedocument.wordprocessingml.document.main+xml"/></Types>')
        z.writestr("_rels/.rels",
                   '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
                   '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
                   'officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
                   '</Relationships>')
        if callable(document_xml):
            document_xml(z)
        else:
            z.writestr("word/document.xml", document_xml)
        for i in range(extra):
            z.writestr(f"word/media/pad{i}.xml", "<x/>")
    return out.getvalue()


_W = b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'


def docx_zip_bomb() -> bytes:
    # document.xml of 400 MB of blanks inside a valid body, ~400 KB compressed.
    def write(z: zipfile.ZipFile) -> None:
        with z.open("word/document.xml", "w", force_zip64=True) as f:
            f.write(_W + b"<w:body><w:p><w:r><w:t>")
            chunk = b" " * (1 << 20)
            for _ in range(400):
                f.write(chunk)
            f.write(b"</w:t></w:r></w:p></w:body></w:document>")
    return _docx(write)


def docx_many_parts() -> bytes:
    return _docx(_W + b"<w:body><w:p><w:r><w:t>x</w:t></w:r></w:p></w:body></w:document>", extra=6000)


def docx_million_paragraphs() -> bytes:
    return _docx(_W + b"<w:body>" + b"<w:p><w:r><w:t>x</w:t></w:r></w:p>" * 1_000_000 + b"</w:body></w:document>")


def docx_billion_laughs() -> bytes:
    entities = b'<!ENTITY a0 "lol">' + b"".join(
        b'<!ENTITY a%d "%s">' % (i, b"&a%d;" % (i - 1) * 10) for i in range(1, 10))
    return _docx(b'<?xml version="1.0"?><!DOCTYPE w:document [' + entities + b']>'
                 b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
                 b'<w:body><w:p><w:r><w:t>&a9;</w:t></w:r></w:p></w:body></w:document>')


def docx_xxe() -> bytes:
    return _docx(b'<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                 b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
                 b'<w:body><w:p><w:r><w:t>&x;</w:t></w:r></w:p></w:body></w:document>')


def docx_without_body() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("hello.txt", "not a word document")
    return out.getvalue()


def html_nested_spans(depth: int = 100_000) -> bytes:
    return (b"<html><body>" + b"<span>x" * depth + b"</span>" * depth + b"</body></html>")


def html_report_in_divs(report: bytes, depth: int = 100_000) -> bytes:
    start, end = report.find(b"<body"), report.rfind(b"</body>")
    open_end = report.find(b">", start) + 1
    return report[:open_end] + b"<div>" * depth + report[open_end:end] + b"</div>" * depth + report[end:]


def html_huge(mb: int = 30) -> bytes:
    return b"<html><body>" + b"<p>\xe6\x96\x87\xe5\xad\x97</p>\n" * (mb * 1024 * 1024 // 18) + b"</body></html>"


def html_wide_table(cols: int = 10_000) -> bytes:
    row = b"<tr>" + b"<td>1</td>" * cols + b"</tr>"
    return b"<html><body><table>" + row * 3 + b"</table></body></html>"


def two_reports(a: bytes, b: bytes) -> bytes:
    """The body of report b appended after report a's, in one page."""
    b_body = b[b.find(b">", b.find(b"<body")) + 1:b.rfind(b"</body>")]
    end = a.rfind(b"</body>")
    return a[:end] + b"<hr/>" + b_body + a[end:]


def text_backtrack() -> bytes:
    # Lines of thousands of numbers that end in a word: a regex with a repeated group over the
    # line tries every split of every start.
    line = "一、总体情况 " + " ".join("1,234.5" for _ in range(20_000)) + " 件x"
    return ("\n".join([line] * 20) + "\n").encode("utf-8")


def text_wide_table(cols: int = 10_000) -> bytes:
    return ("\n".join("\t".join(str(c) for c in range(cols)) for _ in range(3)) + "\n").encode()


def text_huge(mb: int = 25) -> bytes:
    return ("政府信息公开\n" * (mb * 1024 * 1024 // 19)).encode("utf-8")


def png_header(width: int, height: int) -> bytes:
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    chunk = struct.pack(">I", len(ihdr)) + b"IHDR" + ihdr + struct.pack(">I", zlib.crc32(b"IHDR" + ihdr))
    idat_data = zlib.compress(b"\x00" * 100)
    idat = struct.pack(">I", len(idat_data)) + b"IDAT" + idat_data + struct.pack(">I", zlib.crc32(b"IDAT" + idat_data))
    return b"\x89PNG\r\n\x1a\n" + chunk + idat + b"\x00\x00\x00\x00IEND\xaeB`\x82"


# ------------------------------------------------------------------------------ the corpus

def make_corpus(folder: Path) -> list[Case]:
    """Write the corpus under `folder` (created; must be empty) and return its cases."""
    folder.mkdir(parents=True, exist_ok=True)
    cases: list[Case] = []

    def write(rel: str, data: bytes, status: str, reason: str = "", same_as: str = "") -> None:
        p = folder / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data)
        cases.append(Case(rel, status, reason, same_as))

    for rel, src in GOOD.items():
        write(rel, src.read_bytes(), "ok", "", rel)
    hongze = GOOD["good/hongze_zfb_2019.html"].read_bytes()
    laifeng = GOOD["good/laifeng_nyncj_2020.html"].read_bytes()
    xihu = GOOD["good/xihu_rsj_2021.txt"].read_bytes()
    too_large = r"more than the limit of .* \(setting NIANBAO_{}\); not read"

    # Bombs and pathological inputs: refused before parsing, named limit and figure.
    write("bombs/zip_bomb.docx", docx_zip_bomb(), "too_large",
          r"DOCX package uncompressed is 400 MB, " + too_large.format("ZIP_UNCOMPRESSED_MB"))
    write("bombs/many_parts.docx", docx_many_parts(), "too_large", r"6,00\d parts, " + too_large.format("ZIP_ENTRIES"))
    write("bombs/million_paragraphs.docx", docx_million_paragraphs(), "too_large",
          r"1,000,000 paragraphs, " + too_large.format("DOCX_PARAGRAPHS"))
    write("bombs/text_operators.pdf", pdf_many_operators(), "too_large",
          r"content drawn on its pages .*" + too_large.format("PDF_CONTENT_MB"))
    write("bombs/xobject_fanout.pdf", pdf_xobject_fanout(), "too_large",
          r"content drawn on its pages .*" + too_large.format("PDF_CONTENT_MB"))
    write("bombs/huge_image.pdf", pdf_huge_image(), "too_large",
          r"30,000 x 30,000 pixels, " + too_large.format("IMAGE_PIXELS_MILLION"))
    write("bombs/huge_page_scan.pdf", pdf_huge_page(), "failed", r"OCR found no text on any of its 1 page")
    write("bombs/nested_spans.html", html_nested_spans(), "not_a_report", r"no annual-report title")
    write("bombs/huge_page.html", html_huge(), "too_large", r"HTML page is 2\d MB, " + too_large.format("HTML_MB"))
    write("bombs/wide_table.html", html_wide_table(), "too_large",
          r"10,000 columns wide, " + too_large.format("TABLE_COLUMNS"))
    write("bombs/backtracking_numbers.txt", text_backtrack(), "not_a_report", r"no annual-report title")
    write("bombs/wide_table.txt", text_wide_table(), "too_large",
          r"10,000 columns wide, " + too_large.format("TABLE_COLUMNS"))
    write("bombs/huge.txt", text_huge(), "too_large", r"text file is 25 MB, " + too_large.format("TEXT_MB"))
    write("bombs/billion_laughs.docx", docx_billion_laughs(), "failed", r"damaged: Maximum entity amplification")
    write("bombs/xxe.docx", docx_xxe(), "not_a_report", r"no annual-report title")  # the entity is not read
    write("bombs/pages_2000.pdf", pdf_many_pages(), "too_large",
          r"the PDF is 2,000 pages, " + too_large.format("PDF_PAGES"))
    write("bombs/png_20000x20000.png", png_header(20000, 20000), "too_large",
          r"20,000 x 20,000 pixels, " + too_large.format("IMAGE_PIXELS_MILLION"))

    # Broken files.
    good_pdf = GOOD["good/cangnan_rsj_2022.pdf"].read_bytes()
    write("broken/empty.pdf", b"", "failed", r"empty")
    write("broken/truncated.pdf", good_pdf[: len(good_pdf) // 3], "failed", r"damaged PDF")
    write("broken/encrypted.pdf", pdf_encrypted(), "failed", r"encrypted PDF, a password is needed")
    write("broken/not_a_zip.docx", b"PK\x03\x04" + os.urandom(2000), "failed", r"zip archive is damaged")
    write("broken/docx_without_body.docx", docx_without_body(), "failed", r"without word/document.xml")
    write("broken/garbage.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + os.urandom(5000), "failed", r"LibreOffice could not open")
    write("broken/garbage.wps", os.urandom(4000), "failed", r"LibreOffice could not open")
    write("broken/random.bin", os.urandom(4000), "failed", r"binary data of no known format")
    write("broken/nul_bytes.txt", b"\x00" * 5000, "failed", r"binary data, not text")
    write("broken/truncated.png", png_header(800, 600)[:40], "failed", r"not a readable image")
    write("broken/gzip_named.html", zlib.compress(hongze), "failed", r"binary data, not text")
    write("broken/blank.html", b"   \n\n  ", "failed", r"blank")
    write("broken/script_only.html", b"<html><head><script>var a = 1;</script></head><body></body></html>",
          "not_a_report", r"no annual-report title")

    # Edges of issue 16.
    write("edges/text_report_named.pdf", xihu, "ok", "", "good/xihu_rsj_2021.txt")
    write("edges/report_in_100000_divs.html", html_report_in_divs(hongze), "ok", "", "good/hongze_zfb_2019.html")
    pingwu = (SAMPLES / "pingwu_jtysj_2021.html").read_bytes()
    write("edges/two_agencies_in_one.html", two_reports(pingwu, laifeng), "partial",
          r"文件中不止一份年度报告")
    write("edges/copy_of_hongze.html", hongze, "ok", "")  # identical bytes: stored once, under its first name
    write("edges/README.md", "这个文件夹放年度报告。\n".encode(), "not_a_report", r"no annual-report title")
    bad_name = os.fsdecode(b"edges/bad_name_\xff\xfe_2021.txt")
    write(bad_name, xihu + b"\n", "ok", "")  # not the same bytes as the good copy
    # Charset labels that lie (the bytes win), and odd file names: each a distinct file, read exactly.
    write("edges/gb_bytes_labelled_utf8.html", hongze.replace(b"charset=gb2312", b"charset=utf-8"), "ok", "",
          "good/hongze_zfb_2019.html")
    write("edges/utf8_bytes_labelled_gbk.html", laifeng.replace(b"<head>", b'<head><meta charset="gbk">', 1),
          "ok", "", "good/laifeng_nyncj_2020.html")
    odd_names = (" 前后有空格 .html", "-n --help.html", "换行\n名字.html", "年" * 80 + ".html", "引号'\"与$符号.html")
    for i, name in enumerate(odd_names):
        write(f"edges/odd/{name}", hongze + f"\n<!-- {i} -->".encode(), "ok", "", "good/hongze_zfb_2019.html")

    # What a file system can hold.
    fs = folder / "fs"
    fs.mkdir()
    os.symlink("..", fs / "loop")
    cases.append(Case("fs/loop", "skipped", r"symbolic link loop"))
    os.symlink("no_such_file.html", fs / "dangling.html")
    cases.append(Case("fs/dangling.html", "skipped", r"dangling symbolic link"))
    os.symlink("/etc/hostname" if os.path.exists("/etc/hostname") else "/etc/passwd", fs / "outside.txt")
    cases.append(Case("fs/outside.txt", "skipped", r"symbolic link leaving the input folder"))
    os.mkfifo(fs / "pipe.html")
    cases.append(Case("fs/pipe.html", "skipped", r"a FIFO \(named pipe\), not a file"))
    deep = fs
    for i in range(70):
        deep = deep / f"d{i}"
    deep.mkdir(parents=True)
    (deep / "lost.html").write_bytes(hongze)
    # The corpus folder is level 0: fs/d0 … fs/d62 are levels 2 … 64, fs/d0/…/d63 is one too deep.
    cases.append(Case("fs/" + "/".join(f"d{i}" for i in range(64)), "skipped",
                      r"folder more than 64 levels deep \(setting NIANBAO_TREE_DEPTH\)"))
    return cases


if __name__ == "__main__":
    out = Path(sys.argv[1])
    for case in make_corpus(out):
        print(f"{case.status:14} {case.path}")
