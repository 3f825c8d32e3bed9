"""The package stands alone: a wheel built from the checkout, installed into a fresh virtualenv in
another folder, runs `nianbao demo` (samples ingested, mock portal crawled) with nothing from the
checkout. The new venv reuses this venv's third-party packages (a .pth line), not its nianbao."""

import subprocess
import sys
import sysconfig
from pathlib import Path

import duckdb
import pytest

from tests.paths import REPO


@pytest.mark.slow
def test_wheel_installed_elsewhere_runs_the_demo(tmp_path):
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(wheels), str(REPO)],
                   check=True, timeout=600, capture_output=True)
    wheel = next(wheels.glob("nianbao-*.whl"))
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    site = Path(subprocess.run([str(venv / "bin" / "python"), "-c",
                                "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                               check=True, capture_output=True, text=True).stdout.strip())
    (site / "_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(site), str(wheel)],
                   check=True, timeout=300, capture_output=True)
    work = tmp_path / "elsewhere"
    work.mkdir()
    where = subprocess.run([str(venv / "bin" / "python"), "-c", "import nianbao; print(nianbao.__file__)"],
                           cwd=work, check=True, capture_output=True, text=True).stdout.strip()
    assert where.startswith(str(site)), where
    done = subprocess.run([str(venv / "bin" / "python"), "-m", "nianbao.cli.main", "demo", "--db", "demo.duckdb",
                           "--workers", "0"], check=False, cwd=work, capture_output=True, text=True, timeout=900,
                          env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "PREFECT_SERVER_ANALYTICS_ENABLED": "false"})
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    con = duckdb.connect(str(work / "demo.duckdb"), read_only=True)
    n_reports = con.execute("SELECT count(*) FROM reports").fetchone()[0]
    n_crawled = con.execute("SELECT count(*) FROM found_reports").fetchone()[0]
    assert n_reports >= 30 and n_crawled >= 7, (n_reports, n_crawled)
    # The demo's registry went into the demo warehouse, and `nianbao web` serves from the wheel (its
    # templates and static files are package data).
    assert con.execute("SELECT count(*) FROM expected_publishers").fetchone()[0] == 29
    con.close()
    script = ("from starlette.testclient import TestClient\n"
              "from nianbao.supervise.web.app import create_app\n"
              "c = TestClient(create_app('demo.duckdb'), base_url='http://127.0.0.1:8213')\n"
              "r = c.get('/?year=2022'); s = c.get('/static/app.css')\n"
              "print(r.status_code, s.status_code, r.text.count('<tr data-agency='))")
    page = subprocess.run([str(venv / "bin" / "python"), "-c", script],
                          check=False, cwd=work, capture_output=True, text=True, timeout=120,
                          env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)})
    assert page.returncode == 0, page.stderr[-3000:]
    status, css, rows = page.stdout.split()
    assert (status, css) == ("200", "200") and int(rows) > 10
