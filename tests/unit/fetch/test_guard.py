"""Where the crawler may go (pure checks; the end-to-end guard tests are in test_limits.py)."""

from __future__ import annotations

import asyncio

import pytest

from nianbao.fetch.guard import (
    Refused,
    address_refusal,
    check_url,
    host_refusal,
    resolve_checked,
    safe_filename,
)
from nianbao.fetch.sources import Source

SOURCE = Source(agency="测试局", url="https://www.wuyang.gov.cn/nb/index.html")


@pytest.mark.parametrize("url", [
    "https://www.wuyang.gov.cn/nb/2021.html",
    "http://www.wuyang.gov.cn/nb/2021.pdf",
    "https://files.www.wuyang.gov.cn/a.pdf",
])
def test_the_sources_own_site_is_allowed(url):
    check_url(url, SOURCE)


@pytest.mark.parametrize(("url", "why"), [
    ("file:///etc/passwd", "only http and https"),
    ("ftp://www.wuyang.gov.cn/a.pdf", "only http and https"),
    ("https://www.luohe.gov.cn/nb/2021.html", "off-site"),
    ("https://evilwww.wuyang.gov.cn/a.pdf", "off-site"),
    ("https://www.wuyang.gov.cn.evil.com/a.pdf", "off-site"),
    ("http://192.168.1.20/a.pdf", "off-site"),
    ("https://user:pw@www.wuyang.gov.cn/a.pdf", "user name or password"),
    ("https://www.wuyang.gov.cn:8080/a.pdf", "port 8080"),
])
def test_other_places_are_refused(url, why):
    with pytest.raises(Refused, match=why):
        check_url(url, SOURCE)


@pytest.mark.parametrize("address", [
    "127.0.0.1", "10.0.0.8", "172.16.5.4", "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0",
    "::1", "fe80::1", "fc00::1", "::ffff:127.0.0.1", "224.0.0.1",
])
def test_non_public_addresses_are_refused(address):
    assert address_refusal(address, SOURCE) is not None


def test_public_addresses_and_allowed_networks_pass():
    assert address_refusal("202.96.128.86", SOURCE) is None
    assert address_refusal("2400:da00::6666", SOURCE) is None
    assert address_refusal("10.20.1.5", Source(agency="内网", url=SOURCE.url, allow_addresses=("10.20.0.0/16",))) is None
    assert address_refusal("10.21.1.5", Source(agency="内网", url=SOURCE.url, allow_addresses=("10.20.0.0/16",)))
    assert address_refusal("127.0.0.1", Source(agency="演示", url=SOURCE.url, allow_private=True)) is None


def test_a_name_is_refused_when_any_of_its_addresses_is_private():
    async def resolver(host, port):
        return ["202.96.128.86", "10.0.0.1"]

    with pytest.raises(Refused, match="10.0.0.1 is a private address"):
        asyncio.run(resolve_checked("https://www.wuyang.gov.cn/a.pdf", SOURCE, resolver))


@pytest.mark.parametrize(("name", "safe"), [
    ("../../etc/passwd", "passwd"),
    ("..", "document"),
    ("%2e%2e%2fsecret.pdf", "secret.pdf"),
    ("a\x00b<c>.PDF", "a_b_c_.pdf"),
    (".hidden.doc", "hidden.doc"),
    ("C:\\Windows\\x.docx", "x.docx"),
    ("年度报告" * 50 + ".pdf", ("年度报告" * 50)[:116] + ".pdf"),
])
def test_file_names_are_sanitized(name, safe):
    assert safe_filename(name) == safe


def test_a_source_host_is_refused_when_it_resolves_to_a_private_address():
    async def resolver(host, port):
        return {"intranet.example.gov.cn": ["10.3.2.1"], "www.wuyang.gov.cn": ["202.96.128.86"]}[host]

    intranet = Source(agency="内网", url="http://intranet.example.gov.cn/nb/")
    assert asyncio.run(host_refusal(intranet, resolver)) == (
        "intranet.example.gov.cn resolves to 10.3.2.1 is a private address; the crawler only connects to public addresses")
    assert asyncio.run(host_refusal(Source(agency="内网", url="http://127.0.0.1:8000/"), resolver)) == (
        "127.0.0.1 is a loopback address; the crawler only connects to public addresses")
    assert asyncio.run(host_refusal(SOURCE, resolver)) is None
    assert asyncio.run(host_refusal(Source(agency="演示", url="http://127.0.0.1/", allow_private=True), resolver)) is None
