"""Discovery survives the file system, and what it leaves out is in the run's summary; names that
are not UTF-8 are stored (escaped + raw bytes) instead of aborting the ingest (issues 15, 16)."""

from __future__ import annotations

import ctypes
import json
import os
import shutil
import socket
import stat
import subprocess
import sys

import pytest
from sample_results import write_fixtures

from nianbao.jobs.discover import discover
from nianbao.jobs.ingest import ingest_paths
from nianbao.warehouse.store import read_session
from tests.reliability.make_corpus import SAMPLES

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


def _without_dac_override() -> None:
    """preexec_fn: the child cannot read what its permissions forbid, even as root (drops
    CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH from the bounding and current sets)."""
    libc = ctypes.CDLL(None, use_errno=True)

    class Header(ctypes.Structure):
        _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]

    class Data(ctypes.Structure):
        _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32),
                    ("inheritable", ctypes.c_uint32)]

    pr_capbset_drop, dac_override, dac_read_search = 24, 1, 2
    for cap in (dac_override, dac_read_search):
        if libc.prctl(pr_capbset_drop, cap, 0, 0, 0) != 0:
            os._exit(90)
    header, data = Header(0x20080522, 0), (Data * 2)()  # _LINUX_CAPABILITY_VERSION_3
    if libc.capget(ctypes.byref(header), data) != 0:
        os._exit(91)
    keep = ~((1 << dac_override) | (1 << dac_read_search)) & 0xFFFFFFFF
    data[0].effective &= keep
    data[0].permitted &= keep
    data[0].inheritable &= keep
    if libc.capset(ctypes.byref(header), data) != 0:
        os._exit(92)


def test_unreadable_files_and_folders_sockets_and_devices_are_recorded_and_the_run_goes_on(tmp_path):
    """Issue 15: a file that cannot be read is `failed` with the reason, a folder that cannot be
    listed, a socket and a device are `skipped` with theirs; the good report beside them is read."""
    root = tmp_path / "in"
    (root / "closed").mkdir(parents=True)
    shutil.copy(SAMPLES / "hongze_zfb_2019.html", root / "good.html")
    (root / "secret.html").write_bytes((SAMPLES / "laifeng_nyncj_2020.html").read_bytes())
    (root / "closed" / "hidden.html").write_bytes(b"<html></html>")
    listening = socket.socket(socket.AF_UNIX)
    listening.bind(str(root / "a.sock"))
    os.mknod(root / "null.html", stat.S_IFCHR | 0o600, os.makedev(1, 3))  # as /dev/null: reading it never ends
    os.chmod(root / "secret.html", 0)
    os.chmod(root / "closed", 0)
    db = tmp_path / "wh.duckdb"
    script = ("import sys, json; from nianbao.jobs.ingest import ingest_paths; "
              "s = ingest_paths([sys.argv[1]], sys.argv[2], workers=0); "
              "print(json.dumps([[p.source, p.status, p.error] for p in s.problems]))")
    try:
        done = subprocess.run([sys.executable, "-c", script, str(root), str(db)], capture_output=True, text=True,
                              check=False, preexec_fn=_without_dac_override if os.geteuid() == 0 else None, timeout=300)
    finally:
        listening.close()
        os.chmod(root / "closed", 0o755)
    assert done.returncode == 0, done.stderr
    assert sorted(json.loads(done.stdout.splitlines()[-1])) == [
        [f"{root}/a.sock", "skipped", f"{root}/a.sock: a socket, not a file; not read"],
        [f"{root}/closed", "skipped", f"{root}/closed: the folder cannot be listed (Permission denied)"],
        [f"{root}/null.html", "skipped", f"{root}/null.html: a character device, not a file; not read"],
        [f"{root}/secret.html", "failed", f"{root}/secret.html: cannot read the file (Permission denied)"],
    ]
    with read_session(db) as con:
        assert con.execute("SELECT source, status FROM documents ORDER BY source").fetchall() == [
            (f"{root}/good.html", "ok"), (f"{root}/secret.html", "failed")]
