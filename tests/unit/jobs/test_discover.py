"""Discovery survives the file system, and what it leaves out is in the run's summary; names that
are not UTF-8 are stored (escaped + raw bytes) instead of aborting the ingest (issues 15, 16)."""

from __future__ import annotations

import os

import pytest
from sample_results import write_fixtures

from nianbao.jobs.discover import discover
from nianbao.jobs.ingest import ingest_paths
from nianbao.warehouse.store import read_session

FAKE = "sample_results:process_fixture"


def rel(paths, root):
    return [p.relative_to(root).as_posix() for p in paths]


def test_links_loops_fifos_and_deep_trees_are_skipped_with_their_reason(tmp_path):
    root = tmp_path / "in"
    write_fixtures(root, {"a.html": "report 甲局 2021", "sub/b.html": "report 乙局 2021"})
    (tmp_path / "outside.html").write_text("report 丙局 2021", encoding="utf-8")
    os.symlink("..", root / "sub" / "loop")
    os.symlink("missing.html", root / "dangling.html")
    os.symlink(tmp_path / "outside.html", root / "outside.html")
    os.symlink("sub/b.html", root / "inside_link.html")  # inside the input: b.html is read once
    os.mkfifo(root / "pipe.html")
    deep = root.joinpath(*[f"d{i}" for i in range(6)])
    deep.mkdir(parents=True)
    (deep / "deep.html").write_text("report 丁局 2021", encoding="utf-8")

    found = discover([root], max_depth=4)
    assert rel(found.files, root) == ["a.html", "inside_link.html"]  # sub/b.html is the same file
    reasons = {s.path.removeprefix(str(root) + "/"): s.reason.split(": ", 1)[1] for s in found.skipped}
    assert reasons == {
        "dangling.html": "dangling symbolic link (→ missing.html: No such file or directory)",
        "outside.html": f"symbolic link leaving the input folder (→ {tmp_path}/outside.html); "
                        "not followed (use --follow-links to read it)",
        "pipe.html": "a FIFO (named pipe), not a file; not read",
        "sub/loop": "symbolic link loop (a folder that contains itself); not followed",
        "d0/d1/d2/d3/d4": "folder more than 4 levels deep (setting NIANBAO_TREE_DEPTH); not read",
    }
    followed = discover([root], follow_links=True, max_depth=4)
    assert "outside.html" in rel(followed.files, root)


def test_a_self_referencing_link_is_a_loop(tmp_path):
    root = tmp_path / "in"
    root.mkdir()
    os.symlink("self", root / "self")
    (found,) = discover([root]).skipped
    assert found.reason.endswith("self: symbolic link loop (→ self); not followed")


def test_skipped_items_are_in_the_run_summary(tmp_path):
    root = tmp_path / "in"
    write_fixtures(root, {"a.html": "report 甲局 2021"})
    os.mkfifo(root / "pipe.html")
    os.symlink("nowhere", root / "gone.html")
    summary = ingest_paths([root], tmp_path / "wh.duckdb", workers=0, processor=FAKE)
    assert summary.documents_by_status == {"ok": 1, "skipped": 2}
    assert sorted((p.source.rsplit("/", 1)[1], p.status) for p in summary.problems) == [
        ("gone.html", "skipped"), ("pipe.html", "skipped")]
    with read_session(tmp_path / "wh.duckdb") as con:
        assert con.execute("SELECT count(*) FROM documents").fetchone()[0] == 1  # nothing was read


@pytest.mark.parametrize("given", ["folder", "file"])
def test_a_name_that_is_not_utf8_is_stored_escaped_with_its_raw_bytes(tmp_path, given):
    root = tmp_path / "in"
    write_fixtures(root, {"a.html": "report 甲局 2021", "z.html": "report 丙局 2021"})
    raw = os.fsencode(root) + b"/b_\xff\xfe.html"
    with open(raw, "wb") as f:
        f.write("report 乙局 2021".encode())
    bad = os.fsdecode(raw)
    paths = [root] if given == "folder" else [bad, root / "a.html", root / "z.html"]
    summary = ingest_paths(paths, tmp_path / "wh.duckdb", workers=2, processor=FAKE)
    assert summary.documents_by_status == {"ok": 3}  # nothing lost after it, nothing aborted
    printable = f"{root}/b_\\xff\\xfe.html"
    with read_session(tmp_path / "wh.duckdb") as con:
        assert con.execute("SELECT source, source_bytes FROM documents WHERE source LIKE '%b_%'").fetchall() == [
            (printable, raw)]
        assert con.execute("SELECT count(*) FROM run_documents WHERE source = ?", [printable]).fetchone()[0] == 1
        assert con.execute("SELECT count(*) FROM runs WHERE finished_at IS NOT NULL").fetchone()[0] == 1


def test_a_failure_under_a_name_that_is_not_utf8_is_recorded(tmp_path):
    root = tmp_path / "in"
    write_fixtures(root, {"a.html": "report 甲局 2021"})
    raw = os.fsencode(root) + b"/broken_\xff.pdf"
    with open(raw, "wb") as f:
        f.write(b"failed")
    summary = ingest_paths([root], tmp_path / "wh.duckdb", workers=0, processor=FAKE)
    assert summary.documents_by_status == {"failed": 1, "ok": 1}
    (problem,) = summary.problems
    assert problem.source == f"{root}/broken_\\xff.pdf"
    assert problem.error == "broken_\\xff.pdf: fixture says failed"
