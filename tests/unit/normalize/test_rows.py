"""OCR'd values: low confidence -> NULL with a note, never the engine's guess; others marked as OCR'd."""

from nianbao.extract.model import Cell, Provenance, Table
from nianbao.normalize.appeals import interpret_appeals
from nianbao.normalize.rows import ValueCell, parse_cell


def _appeals_table(confidences: list[float]) -> Table:
    prov = Provenance("scan.png", "page 1 (OCR), table 1", page=1, table=0)
    values = ["1", "0", "0", "0", "1", "2", "0", "0", "1", "3", "0", "0", "0", "0", "0"]
    row = tuple(Cell(v, 0, c, (0, c), provenance=prov, ocr_confidence=conf)
                for c, (v, conf) in enumerate(zip(values, confidences, strict=True)))
    return Table(0, (row,), prov, ragged=True)


def test_low_confidence_number_is_null_with_a_note():
    confidences = [0.99] * 15
    confidences[9] = 0.41  # litigation_direct total, read as "3" with little confidence
    result = interpret_appeals([_appeals_table(confidences)], [])
    by_slot = {(v.proceeding, v.outcome): v for v in result.values}
    doubtful = by_slot[("litigation_direct", "total")]
    assert doubtful.value is None
    assert doubtful.note == "read by OCR as '3' with confidence 0.41 < 0.80: stored as NULL"
    sure = by_slot[("review", "upheld")]
    assert sure.value == 1
    assert "read by OCR (confidence 0.99)" in sure.note


def test_text_layer_values_carry_no_ocr_note():
    parsed, note = parse_cell(ValueCell("12", None))
    assert parsed.value == 12 and note is None
