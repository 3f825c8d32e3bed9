"""The source registry: parsing, errors in words, `sources add` keeping the file's comments."""

from __future__ import annotations

import pytest

from nianbao.fetch.sources import SourcesError, add_source, load_registry, parse_registry
from tests.paths import REPO


def test_the_repository_registry_and_the_mock_portal_files_load():
    registry = load_registry(REPO / "data" / "sources.yaml")
    assert registry.sources and all(s.agency and s.url.startswith("http") for s in registry.sources)
    assert all(not s.allow_private for s in registry.sources)
    for name in ("sources.yaml", "other_sources.yaml"):
        text = (REPO / "data" / "mock_portal" / name).read_text(encoding="utf-8").replace("{base}", "http://127.0.0.1:1")
        import yaml

        assert parse_registry(yaml.safe_load(text)).sources


def test_defaults_and_per_source_limits():
    registry = parse_registry({"defaults": {"delay": 2, "max_bytes": 1000},
                               "sources": [{"agency": "甲局", "url": "https://a.gov.cn/nb/", "delay": 0.5},
                                           {"agency": "乙局", "url": "https://b.gov.cn/nb/"}]})
    a, b = registry.sources
    assert (a.limits.delay, a.limits.max_bytes, b.limits.delay) == (0.5, 1000, 2.0)


@pytest.mark.parametrize(("entry", "message"), [
    ({"url": "https://a.gov.cn/"}, "`agency`"),
    ({"agency": "甲局", "url": "file:///etc/passwd"}, "must be an http"),
    ({"agency": "甲局", "url": "https://a.gov.cn/", "selector": "a"}, "unknown key"),
    ({"agency": "甲局", "url": "https://a.gov.cn/", "delay": "fast"}, "must be a number"),
    ({"agency": "甲局", "url": "https://a.gov.cn/", "pagination": {"pattern": "x", "url": "p_{n}.html"}}, "count"),
])
def test_errors_name_the_entry_and_the_problem(entry, message):
    with pytest.raises(SourcesError, match=message):
        parse_registry({"sources": [entry]})


def test_add_keeps_comments_and_refuses_duplicates(tmp_path):
    path = tmp_path / "sources.yaml"
    path.write_text("# 注释\ndefaults:\n  delay: 2\nsources:\n  - agency: 甲局  # 保留\n    url: https://a.gov.cn/nb/\n",
                    encoding="utf-8")
    add_source(path, "乙局", "https://b.gov.cn/nb/", region="某县")
    text = path.read_text(encoding="utf-8")
    assert "# 注释" in text and "# 保留" in text
    registry = load_registry(path)
    assert [(s.agency, s.region) for s in registry.sources] == [("甲局", None), ("乙局", "某县")]
    with pytest.raises(SourcesError, match="already has an entry"):
        add_source(path, "乙局", "https://b.gov.cn/nb/")
    new = tmp_path / "new.yaml"
    add_source(new, "丙局", "https://c.gov.cn/nb/")
    assert [s.agency for s in load_registry(new).sources] == ["丙局"]
