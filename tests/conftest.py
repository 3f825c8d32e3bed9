"""Fixtures shared across the test packages: the mock portal and its sources (portal_fixtures),
and the demo warehouse built once per session (demo_fixtures)."""

pytest_plugins = ["tests.helpers.portal_fixtures", "tests.helpers.demo_fixtures"]

import os

import pytest


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """In CI (CI=true) a skipped test is a failure: nothing the suite promises may silently vanish
    because a system package (LibreOffice, Chromium) is missing."""
    outcome = yield
    report = outcome.get_result()
    if os.environ.get("CI") and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"skipped in CI: {report.longrepr}"
