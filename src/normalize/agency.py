"""Agencies: a name as a report or a registry writes it -> the canonical agency (full name, region
with its 6-digit division code, level, department line) and an id that stays the same across years.

The one agency-identity API: take a name apart (`parse_agency_name`), expand its abbreviations
(`expand_abbreviations`), resolve a region (`resolve_region`), complete a title's name from the
report's body (`resolve_agency_name`), and match a name to known agencies (`match_agencies`,
`match_in_region`). The region comes from the administrative-division dataset
(nianbao.normalize.divisions); the words (abbreviations, department lines, suffixes, township and
branch words) from vocabulary/agencies.yaml.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from nianbao.common.text import clean_text
from nianbao.normalize.divisions import Division, DivisionIndex, Region, division_index, short_names
from nianbao.vocabulary import VOCAB


@dataclass(frozen=True)
class AgencyRecord:
    agency_id: str
    name: str
    province: str | None = None
    city: str | None = None
    county: str | None = None
    region_code: str | None = None
    level: str | None = None
    category: str | None = None


@dataclass(frozen=True)
class AgencyName:
    """A name taken apart: 淮安市洪泽区 + 人民政府办公室; 舞阳县 + 北舞渡镇人民政府 (township)."""

    text: str  # the name as given, cleaned (NFKC, simplified, no spaces)
    prefix: str  # a national system written before the region (国家税务总局舞阳县税务局)
    region_text: str  # the region words it starts with, as written ('' when none)
    body: str  # the rest, abbreviations expanded (工信局 -> 工业和信息化局)
    key_body: str  # the body as it identifies the agency (a branch's county words left out)
    region: Region | None  # the deepest division named (a township's county)
    township: str | None  # 北舞渡镇, when the body is a township's government
    central: bool

    @property
    def canonical_name(self) -> str:
        return self.prefix + self.region_text + self.body


_ABBREVIATIONS = sorted(VOCAB.agencies.abbreviations.items(), key=lambda kv: -len(kv[0]))


def expand_abbreviations(body: str) -> str:
    """工信局 -> 工业和信息化局, 县卫健委 -> 县卫生健康委员会; a full form already written stays
    (交通运输局 does not become 交通运输运输局)."""
    out: list[str] = []
    i = 0
    while i < len(body):
        for short, full in _ABBREVIATIONS:
            if body.startswith(short, i):
                if body.startswith(full, i):
                    out.append(full)
                    i += len(full)
                else:
                    out.append(full)
                    i += len(short)
                break
        else:
            out.append(body[i])
            i += 1
    return "".join(out)


def classify_category(body: str) -> str | None:
    """Department line from the words of the name (without its region words, so that 公安县人民政府
    is a government); a name that ends with a government word is the government."""
    categories = VOCAB.agencies.categories
    best: tuple[int, str] | None = None
    for category, words in categories.items():
        for word in words:
            if word in body:
                # The government's own office ends with 人民政府办公室; a bureau named after a
                # line (…工业和信息化局) must not be taken for the government because of a region word.
                score = len(word) + (100 if category == "government" and body.endswith(word) else 0)
                if best is None or score > best[0]:
                    best = (score, category)
    return best[1] if best else None


# ------------------------------------------------------------------------------ region words

def _outermost(candidates: list[Division]) -> list[Division]:
    """北京市 is both the province 110000 and the city 110100: keep the one that contains the other."""
    return [d for d in candidates if not any(o.contains(d) for o in candidates)]


def _fits(division: Division, chain: list[Division], hint: Division | None) -> bool:
    if chain and not chain[-1].contains(division):
        return False
    return hint is None or division == hint or division.contains(hint) or hint.contains(division)


def _plausible_body(rest: str) -> bool:
    return classify_category(expand_abbreviations(rest)) is not None


def _match_at(text: str, pos: int, index: DivisionIndex, chain: list[Division], hint: Division | None,
              max_len: int, only_regions: bool = False) -> tuple[int, list[Division]]:
    """The region word starting at `pos`: (length, the divisions it may be). Full names first
    (longest wins); a short name (舞阳) only where it cannot be a department word: after its
    parent, inside the region the caller gave, or unique and followed by a department's name."""
    for length in range(min(max_len, len(text) - pos), 1, -1):
        piece = text[pos: pos + length]
        found = [d for d in index.by_name.get(piece, ()) if _fits(d, chain, hint)]
        if found:
            return length, _outermost(found)
    for length in range(min(max_len, len(text) - pos), 1, -1):
        piece = text[pos: pos + length]
        found = [d for d in index.by_short.get(piece, ()) if _fits(d, chain, hint)]
        if not found:
            continue
        if chain or hint is not None or (len(found) == 1 and not _is_department_word(piece)
                                          and (only_regions or _plausible_body(text[pos + length:]))):
            return length, _outermost(found)
    return 0, []


@lru_cache(maxsize=1)
def _department_words() -> tuple[str, ...]:
    words = {w for ws in VOCAB.agencies.categories.values() for w in ws}
    words |= {k for k, _ in _ABBREVIATIONS} | {v for _, v in _ABBREVIATIONS}
    return tuple(words)


def _is_department_word(piece: str) -> bool:
    return any(w.startswith(piece) or piece.startswith(w) for w in _department_words())


def _branch_division(rest: str, parent: Division, index: DivisionIndex) -> tuple[Division, str] | None:
    """淮安市 + 公安局洪泽分局: the county whose name (or short name) comes before 分局."""
    suffixes = VOCAB.agencies.branch_suffixes
    for child in index.children_of(parent):
        for name in [child.name, *short_names(child.name)]:
            for suffix in suffixes:
                if name + suffix in rest:
                    return child, name
    return None


_TOWNSHIP_RE = re.compile(
    r"^(?P<town>[\u4e00-\u9fff]{1,10}?(?:" + "|".join(map(re.escape, VOCAB.agencies.township_endings)) + r"))"
    r"(?=" + "|".join(map(re.escape, VOCAB.agencies.township_government_words)) + r")")


@lru_cache(maxsize=4096)
def resolve_region(text: str | None) -> Division | None:
    """A region as a registry writes it: 河南省漯河市舞阳县, 舞阳县, 杭州市西湖区 or the code 411121.
    None when it names no division or more than one (西湖区 alone)."""
    if not text:
        return None
    text = clean_text(text)
    index = division_index()
    if text.isdigit():
        return index.by_code.get(text[:6].ljust(6, "0"))
    # A township after the county (…舞阳县北舞渡镇) is not in the dataset: its county is the region.
    chain, _, ambiguous = _scan_regions(text, index, None, only_regions=True)
    return None if ambiguous or not chain else chain[-1]


@lru_cache(maxsize=1)
def _max_name_length() -> int:
    index = division_index()
    return max(len(n) for n in (*index.by_name, *index.by_short))


def _scan_regions(text: str, index: DivisionIndex, hint: Division | None,
                  only_regions: bool = False) -> tuple[list[Division], int, bool]:
    """The divisions named at the start of `text`, outermost first; where they end; whether the
    first word was ambiguous (西湖区 is in 杭州 and in 南昌) and nothing settled it."""
    chain: list[Division] = []
    pos = 0
    max_len = _max_name_length()
    while pos < len(text):
        length, found = _match_at(text, pos, index, chain, hint, max_len, only_regions)
        if not found:
            break
        if len(found) > 1:
            return chain, pos, not chain
        chain.append(found[0])
        pos += length
    return chain, pos, False


# ------------------------------------------------------------------------------ the agency

@lru_cache(maxsize=16384)
def parse_agency_name(name: str, region: str | None = None) -> AgencyName:
    """Take an agency's name apart. `region` (from a registry: 河南省漯河市舞阳县, or a code) settles
    a name without region words (工信局) or with an ambiguous one (西湖区人民政府)."""
    text = clean_text(name)
    index = division_index()
    hint = resolve_region(region)
    start = 0
    for prefix in VOCAB.agencies.region_after_prefixes:
        if text.startswith(prefix):
            start = len(prefix)
            break
    chain, end, _ = _scan_regions(text[start:], index, None)
    if not chain and hint is not None:
        chain, end, _ = _scan_regions(text[start:], index, hint)
    prefix = text[:start]
    # Full names, also where the name wrote them short (舞阳工信局 -> 舞阳县工业和信息化局).
    region_text = "".join(d.name for d in chain)
    rest = text[start + end:]

    branch_word = ""
    if chain and chain[-1].level != "county":
        branch = _branch_division(rest, chain[-1], index)
        if branch is not None:
            chain.append(branch[0])
            branch_word = branch[1]

    deepest = chain[-1] if chain else None
    if deepest is None and hint is not None:
        deepest = hint
        region_text = hint.name
        # 县人社局 in 舞阳县's list: the bare level word stands for the region itself.
        for word in VOCAB.agencies.bare_level_words:
            if rest.startswith(word) and _plausible_body(rest[len(word):]):
                rest = rest[len(word):]
                break
    if deepest is None:
        prefix, region_text, rest = "", "", text

    # A name that is only a place (平武县, as titles write it) is that place's government.
    body = expand_abbreviations(rest) if rest or deepest is None else VOCAB.agencies.government_report_bodies[0]
    m = _TOWNSHIP_RE.match(body)
    township = m.group("town") if m and deepest is not None else None
    # The identity of 淮安市公安局洪泽分局 does not depend on 洪泽/洪泽区 being written.
    key_body = prefix + (body.replace(branch_word, "", 1) if branch_word else body)
    central = deepest is None and any(text.startswith(w) for w in VOCAB.agencies.central_markers)
    return AgencyName(
        text=text, prefix=prefix, region_text=region_text, body=body, key_body=key_body,
        region=index.region_of(deepest) if deepest is not None else None,
        township=township, central=central,
    )


def _level(parsed: AgencyName) -> str | None:
    if parsed.township:
        return "township"
    if parsed.region is not None:
        return parsed.region.level
    if parsed.central:
        return "central"
    return None


def agency_key(parsed: AgencyName) -> str:
    """What makes two names the same agency: the division code and the body, abbreviations
    expanded; without a division, the whole expanded name."""
    if parsed.region is not None:
        return f"{parsed.region.code}|{parsed.key_body}"
    return f"|{parsed.key_body}"


@lru_cache(maxsize=16384)
def resolve_agency(name: str, region: str | None = None) -> AgencyRecord:
    """The canonical agency for a name as a report (or, with `region`, a registry) writes it.
    舞阳县工信局 and 河南省舞阳县工业和信息化局 are the same agency, with the same agency_id."""
    parsed = parse_agency_name(name, region)
    r = parsed.region
    return AgencyRecord(
        agency_id="ag_" + hashlib.sha1(agency_key(parsed).encode("utf-8")).hexdigest()[:16],
        name=parsed.canonical_name,
        province=r.province if r else None,
        city=r.city if r else None,
        county=r.county if r else None,
        region_code=r.code if r else None,
        level=_level(parsed),
        category=classify_category(parsed.prefix + parsed.body),
    )


def agency_id_for(name: str, region: str | None = None) -> str:
    return resolve_agency(name, region).agency_id


# ------------------------------------------------------------------------------ a title's name

_ORG_SUFFIXES = sorted(VOCAB.agencies.suffixes, key=len, reverse=True)
_REGION_SUFFIXES = sorted(VOCAB.agencies.region_suffixes, key=len, reverse=True)
_SINGLE_REGION_CHARS = {s for s in _REGION_SUFFIXES if len(s) == 1}
_CATEGORY_WORDS = sorted({w for ws in VOCAB.agencies.categories.values() for w in ws}, key=len, reverse=True)
_CJK = re.compile(r"[\u4e00-\u9fff]+$")


def org_suffix(body: str) -> str:
    """The kind of body a name ends with (局, 委员会, 人民政府 …, longest first), '' when none."""
    return next((s for s in _ORG_SUFFIXES if body.endswith(s)), "")


def _region_prefix(text: str, core: str) -> str:
    """How the body writes the region before `core`: at each occurrence, the region name that
    ends right before it (among the CJK run there, the candidate that recurs most often in the
    text: the true name recurs, a preceding verb does not), then the most common choice over
    all occurrences, an occurrence without a region voting for none."""
    votes: Counter[str] = Counter()
    start = 0
    while True:
        idx = text.find(core, start)
        if idx < 0:
            break
        start = idx + 1
        run = _CJK.search(text[max(0, idx - 12): idx])
        before = run.group(0) if run else ""
        candidates = [before[-n:] for n in range(2, len(before) + 1)
                      if any(before[-n:].endswith(s) for s in _REGION_SUFFIXES)]
        votes[max(candidates, key=lambda p: (text.count(p), len(p))) if candidates else ""] += 1
    if not votes:
        return ""
    return max(votes.items(), key=lambda kv: (kv[1], -len(kv[0])))[0]


def _with_org_suffix(name: str, body: str) -> str:
    """A title that names only a place (福州市鼓楼区, 昝岗镇) reports for that place's
    government: take the body's most frequent 'place + body suffix'."""
    if org_suffix(name):
        return name
    counts = {name + s: body.count(name + s) for s in _ORG_SUFFIXES}
    best = max(counts.items(), key=lambda kv: (kv[1], -len(kv[0])))
    return best[0] if best[1] > 0 else name


def resolve_agency_name(title_agency: str | None, body: str) -> str | None:
    """The agency's full name as the body states it: the title's name, expanded (工信局 ->
    工业和信息化局), completed with its body suffix, and given the region the body writes before
    it (-> 舞阳县工业和信息化局)."""
    if not title_agency:
        return None
    name = clean_text(title_agency)
    # 县人社局, 市教育局: a bare level word stands for "this county's"; the body names the county.
    if (len(name) > 2 and name[0] in _SINGLE_REGION_CHARS
            and not any(name.startswith(w) for w in _CATEGORY_WORDS)):
        name = name[1:]
    expanded = expand_abbreviations(name)
    core = expanded if (expanded in body or name not in body) else name
    core = _with_org_suffix(core, body)
    return _region_prefix(body, core) + core


# ------------------------------------------------------------------------------ matching

def abbreviates(short: str, long: str) -> bool:
    """Whether `short`'s characters are in `long` in order (舞阳工信局 in 舞阳县工业和信息化局)."""
    it = iter(long)
    return all(ch in it for ch in short)


def match_agencies(query: str, agencies: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    """The (agency_id, name) pairs a user's query names: the exact name; else names containing
    it; else names it abbreviates (舞阳工信局 -> 舞阳县工业和信息化局)."""
    query = query.strip()
    exact = [a for a in agencies if a[1] == query]
    if exact:
        return exact
    contained = [a for a in agencies if query in a[1]]
    if contained:
        return contained
    expanded = expand_abbreviations(query)
    return [a for a in agencies if abbreviates(expanded, a[1]) or abbreviates(query, a[1])]


def match_in_region(record: AgencyRecord, known: Iterable[AgencyRecord],
                    is_government: Callable[[AgencyRecord], bool]) -> AgencyRecord | None:
    """The known agency a registry name stands for, within the same region: an abbreviation
    (舞阳县教体局 -> 舞阳县教育体育局: same kind of body, one name's words inside the other's), or the
    government's own report under the other name (平武县人民政府办公室 for 平武县人民政府), when
    the region has exactly one such agency."""
    if record.region_code is None:
        return None
    body = parse_agency_name(record.name).body
    government = is_government(record)
    found = []
    for other in known:
        if other.region_code != record.region_code or other.agency_id == record.agency_id:
            continue
        if government:
            if is_government(other) and other.level == record.level:
                found.append(other)
            continue
        other_body = parse_agency_name(other.name).body
        if org_suffix(body) != org_suffix(other_body):
            continue
        if abbreviates(body, other_body) or abbreviates(other_body, body):
            found.append(other)
    return found[0] if len(found) == 1 else None
