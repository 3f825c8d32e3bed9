"""Input limits checked before parsing: every bomb is refused in seconds as `too_large`, naming
the limit, its setting and the figure; deep HTML is flattened, not lost (issues 15, 16)."""

from __future__ import annotations

import time

import pytest

from nianbao.extract import read_document
from nianbao.extract.limits import InputTooLarge, flatten_deep_html, html_depth
from nianbao.pipeline import process_document
from tests.reliability import make_corpus as corpus

BOMBS = [
    ("zip_bomb.docx", corpus.docx_zip_bomb,
     "the DOCX package uncompressed is 400 MB, more than the limit of 300 MB (setting NIANBAO_ZIP_UNCOMPRESSED_MB)"),
    ("parts.docx", corpus.docx_many_parts,
     "the DOCX package is 6,003 parts, more than the limit of 5,000 parts (setting NIANBAO_ZIP_ENTRIES)"),
    ("paragraphs.docx", corpus.docx_million_paragraphs,
     "the DOCX body is 1,000,000 paragraphs, more than the limit of 200,000 paragraphs (setting NIANBAO_DOCX_PARAGRAPHS)"),
    ("operators.pdf", corpus.pdf_many_operators,
     "the content drawn on its pages is at least 64 MB, more than the limit of 64 MB (setting NIANBAO_PDF_CONTENT_MB)"),
    ("fanout.pdf", corpus.pdf_xobject_fanout,
     "the content drawn on its pages is at least 2,162 MB, more than the limit of 64 MB (setting NIANBAO_PDF_CONTENT_MB)"),
    ("image.pdf", corpus.pdf_huge_image,
     ("an image on its pages is 30,000 x 30,000 pixels, more than the limit of 60 million pixels "
      "(setting NIANBAO_IMAGE_PIXELS_MILLION)")),
    ("pages.pdf", corpus.pdf_many_pages,
     "the PDF is 2,000 pages, more than the limit of 300 pages (setting NIANBAO_PDF_PAGES)"),
    ("wide.html", corpus.html_wide_table,
     "the table at table 1 is 10,000 columns wide, more than the limit of 300 columns (setting NIANBAO_TABLE_COLUMNS)"),
    ("wide.txt", corpus.text_wide_table,
     "the table at lines 1-3 is 10,000 columns wide, more than the limit of 300 columns (setting NIANBAO_TABLE_COLUMNS)"),
    ("huge.png", lambda: corpus.png_header(20000, 20000),
     "the image is 20,000 x 20,000 pixels, more than the limit of 60 million pixels (setting NIANBAO_IMAGE_PIXELS_MILLION)"),
]


@pytest.mark.parametrize(("name", "make", "message"), BOMBS, ids=[b[0] for b in BOMBS])
def test_bombs_are_refused_before_parsing(tmp_path, name, make, message):
    path = tmp_path / name
    path.write_bytes(make())
    started = time.monotonic()
    result = process_document(path)
    assert time.monotonic() - started < 15
    assert (result.status, result.error) == ("too_large", f"{path}: {message}; not read")


def test_a_file_over_the_size_limit_is_not_read_into_memory(tmp_path, monkeypatch):
    monkeypatch.setenv("NIANBAO_FILE_MB", "1")
    path = tmp_path / "big.html"
    path.write_bytes(b"<p>x</p>" * 300_000)
    result = process_document(path)
    assert (result.status, result.error) == (
        "too_large", "big.html: the file is 2 MB, more than the limit of 1 MB (setting NIANBAO_FILE_MB); not read")
    assert result.size_bytes == 2_400_000


def test_html_and_text_byte_limits(monkeypatch):
    monkeypatch.setenv("NIANBAO_HTML_MB", "1")
    monkeypatch.setenv("NIANBAO_TEXT_MB", "1")
    with pytest.raises(InputTooLarge, match=r"the HTML page is 2 MB, more than the limit of 1 MB \(setting NIANBAO_HTML_MB\)"):
        read_document(b"<html><body>" + b"<p>x</p>" * 300_000, "a.html")
    with pytest.raises(InputTooLarge, match=r"the text file is 2 MB, .*NIANBAO_TEXT_MB"):
        read_document(b"x\n" * 1_200_000, "a.txt")


def test_deep_html_is_flattened_keeping_text_and_tables():
    page = b"<html><body>" + b"<div><span>" * 300 + b"<p>\xe6\x96\x87</p><table><tr><td>1</td><td>2</td></tr></table>" + \
        b"</span></div>" * 300 + b"<p>after</p></body></html>"
    assert html_depth(page) == 605
    flat = flatten_deep_html(page, 200)
    assert html_depth(flat) == 203  # 200 kept (html, body, 198 wrappers), then table/tr/td kept at any depth
    document = read_document(flat, "deep.html")
    assert [b.text for b in document.text_blocks] == ["文", "after"]
    assert [[c.text for c in row] for row in document.tables[0].rows] == [["1", "2"]]
    assert flatten_deep_html(b"<p>plain</p>", 200) == b"<p>plain</p>"


def test_nested_spans_read_in_seconds_with_all_their_text():
    started = time.monotonic()
    document = read_document(corpus.html_nested_spans(100_000), "spans.html")
    assert time.monotonic() - started < 10
    assert "".join(b.text for b in document.text_blocks) == "x" * 100_000


def test_a_line_of_numbers_does_not_make_the_text_reader_backtrack():
    started = time.monotonic()
    document = read_document(corpus.text_backtrack(), "numbers.txt")
    assert time.monotonic() - started < 10
    assert len(document.text_blocks) == 20


def test_a_scanned_page_too_large_for_the_pixel_budget_is_rendered_smaller():
    from nianbao.extract.image import render_dpi

    assert render_dpi(595, 842) == 200  # A4: as always
    dpi = render_dpi(14400, 14400)
    assert round(dpi, 2) == 38.73
    assert (14400 / 72 * dpi) ** 2 == pytest.approx(60_000_000)


def test_a_text_report_named_pdf_is_read_by_its_content(tmp_path):
    from tests.reliability.make_corpus import GOOD

    original = GOOD["good/xihu_rsj_2021.txt"]
    named = tmp_path / "xihu.pdf"
    named.write_bytes(original.read_bytes())
    as_pdf, as_txt = process_document(named), process_document(original)
    assert (as_pdf.status, as_pdf.format) == ("ok", "txt")
    values = [(v.row, v.applicant, v.value) for v in as_pdf.report.applications]
    assert values == [(v.row, v.applicant, v.value) for v in as_txt.report.applications]
    assert len(values) > 50
