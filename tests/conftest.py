"""Fixtures shared across the test packages: the mock portal and its sources (portal_fixtures),
and the demo warehouse built once per session (demo_fixtures)."""

pytest_plugins = ["tests.helpers.portal_fixtures", "tests.helpers.demo_fixtures"]
