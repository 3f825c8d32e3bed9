"""The vocabulary files load into typed, frozen objects; a file that does not match its dataclass
fails on load naming the file and the key; every key is read somewhere in src/ or flows/."""

from __future__ import annotations

import dataclasses
import re
import shutil
import typing
from pathlib import Path

import pytest

from nianbao import vocabulary
from nianbao.vocabulary import FILES, VOCAB, Vocabulary, VocabularyError, load_vocabulary
from tests.paths import REPO

FOLDER = REPO / "src" / "spec_data" / "vocabulary"


def test_the_files_load_into_typed_frozen_objects():
    assert isinstance(VOCAB, Vocabulary) and vocabulary.vocabulary() is VOCAB
    assert sorted(p.stem for p in FOLDER.glob("*.yaml")) == sorted(FILES)
    assert VOCAB.crawl.report_words == ("年度报告", "年报", "信息公开工作报告")
    assert VOCAB.crawl.jpage_settings.per_page == ("perPage", "perpage")
    assert [api.name for api in VOCAB.crawl.json_apis] == ["gkmlpt", "jpaas", "epoint", "trs-irs"]
    jpaas, epoint, irs = VOCAB.crawl.json_apis[1:]
    assert (jpaas.title, jpaas.link, jpaas.form, jpaas.total) == (("title",), ("url",), {}, "data.total")
    assert (jpaas.records, jpaas.json, jpaas.token) == (("data.html",), None, None)
    assert epoint.token == vocabulary.JsonApiToken(
        url="{app}/rest/getOauthInfoAction/getNoUserAccessToken", path="custom.access_token",
        headers={"Authorization": "Bearer {token}"}, when=("getNoUserAccessToken",))
    assert irs.records == ("data.middle.listAndBox", "data.middle.list") and irs.json.startswith('{{"code":"{code}"')
    assert VOCAB.crawl.menu_url_keys[:3] == ("url", "href", "link") and "jquery" in VOCAB.crawl.menu_script_skip
    assert VOCAB.recognition.chinese_numerals["十"] == 10
    assert VOCAB.recognition.date_chars == vocabulary.DateChars(year="年", month="月", day="日")
    assert VOCAB.agencies.categories["教育"] == ("教育", "教体", "教育体育")
    assert VOCAB.rules.duplication.threshold == 0.8 and VOCAB.rules.duplication.shingle_chars == 5
    assert VOCAB.rules.publication_deadlines["department"].month == 1
    assert VOCAB.rules.publication_deadlines["department"].day == 31
    assert VOCAB.rules.text_figures.figures["review"].row is None
    assert VOCAB.rules.text_figures.figures["review"].proceedings == ("review",)
    assert VOCAB.rules.text_figures.figures["received"].row == "received"
    assert VOCAB.messages.version_names["v2021"] == "2021版格式（国办公开办函〔2021〕30号）"
    assert VOCAB.messages.issuer_basis["no_agency"] == "报告未写明发布机关"
    assert dict(VOCAB.ui.compare.score.points) == {"missing": 40, "late": 20, "format": 10, "error": 10, "warning": 3}
    assert VOCAB.ui.terminal.statuses["ok"] == "正常"
    with pytest.raises(dataclasses.FrozenInstanceError):
        VOCAB.crawl.report_words = ()  # type: ignore[misc]
    with pytest.raises(TypeError):
        VOCAB.recognition.label_variants["新"] = "x"  # type: ignore[index]


def _copy(tmp_path: Path) -> Path:
    folder = tmp_path / "vocabulary"
    shutil.copytree(FOLDER, folder)
    assert load_vocabulary(folder) == VOCAB  # the copy itself is fine
    return folder


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_an_unknown_key_is_named_with_its_file(tmp_path):
    folder = _copy(tmp_path)
    (folder / "crawl.yaml").write_text((folder / "crawl.yaml").read_text(encoding="utf-8") + "report_word: [年报]\n",
                                       encoding="utf-8")
    with pytest.raises(VocabularyError, match=r"^crawl\.yaml: unknown key 'report_word' \(known: report_words, "):
        load_vocabulary(folder)


def test_an_unknown_nested_key_is_named_with_its_path(tmp_path):
    folder = _copy(tmp_path)
    _edit(folder / "rules.yaml", "  tables_min_nonzero: 8\n", "  tables_min_nonzero: 8\n  tables_max: 3\n")
    with pytest.raises(VocabularyError, match=r"^rules\.yaml: duplication: unknown key 'tables_max'"):
        load_vocabulary(folder)


def test_a_missing_key_is_named_with_its_file(tmp_path):
    folder = _copy(tmp_path)
    _edit(folder / "recognition.yaml", 'hundred: "百"\n', "")
    with pytest.raises(VocabularyError, match=r"^recognition\.yaml: missing key 'hundred'$"):
        load_vocabulary(folder)


def test_a_missing_file_is_named(tmp_path):
    folder = _copy(tmp_path)
    (folder / "messages.yaml").unlink()
    with pytest.raises(VocabularyError, match=r"^messages\.yaml: file missing from "):
        load_vocabulary(folder)


@pytest.mark.parametrize(("file", "old", "new", "error"), [
    ("rules.yaml", "  min_sections: 4\n", '  min_sections: "4"\n',
     r"^rules\.yaml: structure_checks\.min_sections: expected int, got str '4'$"),
    ("ui.yaml", "warning: 3}", "warning: three}",
     r"^ui\.yaml: compare\.score\.points\.warning: expected int, got str 'three'$"),
    ("crawl.yaml", '"年报", "信息公开工作报告"]', '2024, "信息公开工作报告"]',
     r"^crawl\.yaml: report_words\[1\]: expected str, got int 2024$"),
    ("recognition.yaml", 'active_content_header: "信息内容"', 'active_content_header: ["信息内容"]',
     r"^recognition\.yaml: active_content_header: expected str, got list \['信息内容'\]$"),
    ("agencies.yaml", 'branch_suffixes: ["分局"]', 'branch_suffixes: "分局"',
     r"^agencies\.yaml: branch_suffixes: expected a list, got str '分局'$"),
    ("messages.yaml", '  no_agency: "报告未写明发布机关"', "  no_agency: 1",
     r"^messages\.yaml: issuer_basis\.no_agency: expected str, got int 1$"),
])
def test_a_value_of_the_wrong_type_is_named_with_its_file_and_key(tmp_path, file, old, new, error):
    folder = _copy(tmp_path)
    _edit(folder / file, old, new)
    with pytest.raises(VocabularyError, match=error):
        load_vocabulary(folder)


def _dataclass_fields(cls: type, prefix: str) -> list[tuple[str, str]]:
    """(dotted path, field name) of every field of `cls` and of the dataclasses it nests."""
    out = []
    for f in dataclasses.fields(cls):
        tp = typing.get_type_hints(cls)[f.name]
        out.append((f"{prefix}.{f.name}", f.name))
        inner = [tp, *typing.get_args(tp)]
        for t in inner:
            if dataclasses.is_dataclass(t):
                out += _dataclass_fields(t, f"{prefix}.{f.name}")
    return out


def test_every_key_is_read_somewhere():
    sources = [p for folder in ("src", "flows") for p in (REPO / folder).rglob("*")
               if p.suffix in (".py", ".html") and p.name != "vocabulary.py"]
    text = "\n".join(p.read_text(encoding="utf-8") for p in sources)
    unused = [path for path, name in _dataclass_fields(Vocabulary, "VOCAB")
              if not re.search(rf"\.{name}\b", text)]
    assert unused == []
