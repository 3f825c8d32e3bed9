"""Write the OCR fixtures in this folder from the page images in ../office/ (never by running
the reader). Run from anywhere: `python tests/extract/files/ocr/make_ocr_fixtures.py`.

- wuyang_wsjkw_2021.scan.pdf: the four 200 dpi page images as an image-only PDF, each page turned
  a little, speckled and saved as JPEG, the way a report printed, signed and scanned looks.
  Expected values: ../office/wuyang_wsjkw_2021.pdf.expected.json (the same report).
- wuyang_wsjkw_2021.p3.damaged.png: page 3 with a white streak through the 6 of the 16 in
  一、本年新收政府信息公开申请数量 / 自然人 (a print or scanner defect): OCR reads "15", unsure.
- wuyang_wsjkw_2021.mixed.pdf: the LibreOffice PDF (../office/) with its page 3 replaced by page 3
  of the scan: a text-layer PDF with one scanned page, for read_pdf's OCR hook.
- section4_150dpi.jpg (+ .expected.json, written by hand below): the section 四 table of page 4
  at 150 dpi, turned 0.8°, as a photographed or screenshotted table would be posted.

Needs Pillow, numpy and pypdfium2 (all installed with the project).
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
from PIL import Image

HERE = Path(__file__).resolve().parent
OFFICE = HERE.parent / "office"
STEM = "wuyang_wsjkw_2021"
# Per page: turn (degrees, counter-clockwise) and JPEG quality.
SCAN_PAGES = {1: (0.4, 70), 2: (-0.3, 65), 3: (0.6, 70), 4: (-0.5, 65)}
# The 16 (自然人 column, row 一) on page 3 spans x 873-913, y 796-829; the streak wipes the 6's middle.
STREAK = (slice(796, 830), slice(893, 899))


def scanned(image: Image.Image, angle: float, seed: int) -> Image.Image:
    """A page as a scanner returns it: slightly turned, grey speckle on the paper."""
    turned = image.convert("L").rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=255)
    arr = np.asarray(turned).astype(np.int16)
    rng = np.random.default_rng(seed)
    arr = arr - rng.integers(0, 8, size=arr.shape)  # paper grain
    dust = rng.random(arr.shape) < 0.0004
    arr[dust] = 90
    return Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))


def jpeg(image: Image.Image, quality: int) -> Image.Image:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality)
    return Image.open(io.BytesIO(out.getvalue()))


def write_scan_pdf() -> None:
    pages = []
    for number, (angle, quality) in SCAN_PAGES.items():
        page = Image.open(OFFICE / f"{STEM}.p{number}.png")
        pages.append(jpeg(scanned(page, angle, seed=number), quality))
    pages[0].save(HERE / f"{STEM}.scan.pdf", "PDF", resolution=200.0, save_all=True, append_images=pages[1:],
                  title="", producer="make_ocr_fixtures")


def write_mixed_pdf() -> None:
    import pypdfium2 as pdfium

    text = pdfium.PdfDocument(OFFICE / f"{STEM}.pdf")
    scan = pdfium.PdfDocument(HERE / f"{STEM}.scan.pdf")
    mixed = pdfium.PdfDocument.new()
    mixed.import_pages(text, [0, 1])
    mixed.import_pages(scan, [2])
    mixed.import_pages(text, [3])
    mixed.save(HERE / f"{STEM}.mixed.pdf")


def write_damaged_page() -> None:
    arr = np.asarray(Image.open(OFFICE / f"{STEM}.p3.png").convert("L")).copy()
    arr[STREAK] = 255
    Image.fromarray(arr).save(HERE / f"{STEM}.p3.damaged.png", optimize=True)


SECTION4_EXPECTED = {
    "file": "section4_150dpi.jpg",
    "notes": ["section 四 of wuyang_wsjkw_2021 page 4, at 150 dpi, turned 0.8°, JPEG quality 70"],
    "text": ["四、政府信息公开行政复议、行政诉讼情况"],
    "table": {
        "cells": [
            ["行政复议"] * 5 + ["行政诉讼"] * 10,
            ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] + ["未经复议直接起诉"] * 5 + ["复议后起诉"] * 5,
            ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] + ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2,
            ["0", "0", "0", "1", "1", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0"],
        ],
        "merged": [[0, 0, 1, 5], [0, 5, 1, 10], [1, 0, 2, 1], [1, 1, 2, 1], [1, 2, 2, 1], [1, 3, 2, 1],
                   [1, 4, 2, 1], [1, 5, 1, 5], [1, 10, 1, 5]],
    },
}


def write_section4() -> None:
    page = Image.open(OFFICE / f"{STEM}.p4.png").convert("L").crop((150, 280, 1510, 600))
    small = page.resize((page.width * 3 // 4, page.height * 3 // 4), Image.Resampling.LANCZOS)
    turned = small.rotate(0.8, resample=Image.Resampling.BICUBIC, fillcolor=255, expand=True)
    turned.save(HERE / "section4_150dpi.jpg", "JPEG", quality=70, dpi=(150, 150))
    (HERE / "section4_150dpi.expected.json").write_text(
        json.dumps(SECTION4_EXPECTED, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    write_scan_pdf()
    write_mixed_pdf()
    write_damaged_page()
    write_section4()
