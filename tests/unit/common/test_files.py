from __future__ import annotations

import os
from datetime import UTC, datetime

from nianbao.common.files import file_time


def test_a_files_first_seen_time_is_its_modification_time_in_utc(tmp_path):
    path = tmp_path / "report.html"
    path.write_bytes(b"<html></html>")
    os.utime(path, (1_650_000_000, 1_600_000_000.25))  # mtime 2020-09-13 12:26:40.25 UTC
    assert file_time(path) == datetime(2020, 9, 13, 12, 26, 40, 250000)
    assert file_time(str(path)) == datetime(2020, 9, 13, 12, 26, 40, 250000)


def test_a_file_that_is_gone_was_first_seen_now(tmp_path):
    before = datetime.now(UTC).replace(tzinfo=None, microsecond=0)
    seen = file_time(tmp_path / "gone.html")
    assert before <= seen <= datetime.now(UTC).replace(tzinfo=None)
