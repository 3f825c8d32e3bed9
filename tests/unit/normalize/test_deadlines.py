"""Publication deadlines (条例第四十九条) and on-time status."""

from __future__ import annotations

from datetime import date

import pytest

from nianbao.normalize.agency import resolve_agency
from nianbao.normalize.deadlines import (
    LATE,
    ON_TIME,
    UNKNOWN,
    deadline_kind,
    publication_deadline,
    timeliness,
)


@pytest.mark.parametrize(("name", "kind", "due"), [
    ("舞阳县教育局", "department", date(2022, 1, 31)),
    ("淮安市公安局洪泽分局", "department", date(2022, 1, 31)),
    ("平武县人民政府", "government", date(2022, 3, 31)),
    ("淮安市洪泽区人民政府办公室", "government", date(2022, 3, 31)),  # the office reporting for the government
    ("平武县", "government", date(2022, 3, 31)),
    ("河南省教育厅", "department", date(2022, 1, 31)),
    ("国务院办公厅", "government", date(2022, 3, 31)),
    ("舞阳县北舞渡镇人民政府", "township", date(2022, 3, 31)),
])
def test_deadline_of_the_2021_report(name, kind, due):
    deadline = publication_deadline(name, 2021)
    assert (deadline.kind, deadline.due) == (kind, due)
    assert "第四十九条" in deadline.basis
    assert deadline_kind(resolve_agency(name)) == kind


def test_deadline_accepts_a_record_and_moves_with_the_year():
    record = resolve_agency("舞阳县财政局")
    assert publication_deadline(record, 2019).due == date(2020, 1, 31)
    assert publication_deadline(record, 2023).due == date(2024, 1, 31)


@pytest.mark.parametrize(("published", "signed", "expected"), [
    (date(2022, 1, 31), None, ON_TIME),            # on the day is on time
    (date(2022, 2, 1), None, LATE),
    (date(2022, 1, 10), date(2022, 1, 5), ON_TIME),
    (None, None, UNKNOWN),
    (None, date(2022, 1, 20), UNKNOWN),             # signed in time, publication date unknown
    (None, date(2022, 2, 15), LATE),                # signed after the deadline: cannot have been on time
])
def test_timeliness(published, signed, expected):
    deadline = publication_deadline("舞阳县教育局", 2021)
    assert timeliness(published, deadline, signed) == expected
    assert timeliness(published, deadline.due, signed) == expected
