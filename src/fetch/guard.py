"""Where the crawler may go: the source's own host (and its subdomains) over http(s), and only to
public addresses, checked on every resolved IP of every hop (the connection is then pinned to a
checked IP, so DNS cannot answer differently a moment later). Also: safe file names.
"""

from __future__ import annotations

import asyncio
import ipaddress
import re
import socket
import unicodedata
from collections.abc import Awaitable, Callable, Sequence
from urllib.parse import unquote, urlsplit

from nianbao.fetch.sources import Source

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], Awaitable[Sequence[str]]]
DEFAULT_PORTS = {"http": 80, "https": 443}
# Second-level labels under a country code: the organisation's name is the label before them.
SECOND_LEVEL = {"gov", "edu", "org", "com", "net", "ac"}


class Refused(Exception):
    """The crawler will not request this URL; the message says why."""


async def system_resolver(host: str, port: int) -> list[str]:
    """Every address the system resolver gives for host (A and AAAA)."""
    loop = asyncio.get_running_loop()
    infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(info[4][0] for info in infos))


def on_site(host: str, site: str) -> bool:
    """host is the site's host or one of its subdomains (www.x.gov.cn for x.gov.cn, not evilx.gov.cn)."""
    host, site = host.lower().rstrip("."), site.lower().rstrip(".")
    return host == site or host.endswith("." + site)


def organisation_domain(host: str) -> str | None:
    """The domain an agency's hosts share: cangnan.gov.cn for www.cangnan.gov.cn and
    file.cangnan.gov.cn (three labels under gov.cn / edu.cn …, else two); None for an address."""
    host = host.lower().rstrip(".")
    try:
        ipaddress.ip_address(host)
        return None
    except ValueError:
        pass
    labels = host.split(".")
    keep = 3 if len(labels) >= 3 and labels[-2] in SECOND_LEVEL and len(labels[-1]) == 2 else 2
    return ".".join(labels[-keep:]) if len(labels) >= keep else host


def attachment_sites(source: Source) -> tuple[str, ...]:
    """Where a source's report files may be besides its own site: its organisation's other hosts
    (file.x.gov.cn beside www.x.gov.cn) and the hosts its entry names (`attachment_hosts`)."""
    org = organisation_domain(source.host)
    return tuple(dict.fromkeys([*([org] if org else []), *source.attachment_hosts]))


def check_url(url: str, source: Source, *, attachment: bool = False) -> None:
    """Raise Refused unless `url` is http(s) on the source's host or a subdomain (for a report
    file: or one of the source's attachment sites), on the source's port or a default one."""
    parts = urlsplit(url)
    if parts.scheme not in DEFAULT_PORTS:
        raise Refused(f"{url}: only http and https addresses are followed (not {parts.scheme or 'a relative'}:)")
    host = parts.hostname or ""
    if not host:
        raise Refused(f"{url}: the address has no host")
    if parts.username or parts.password:
        raise Refused(f"{url}: addresses with a user name or password are not followed")
    if not on_site(host, source.host) and not (attachment and any(on_site(host, s) for s in attachment_sites(source))):
        raise Refused(f"{url}: {host} is not {source.host} (the source's own site); off-site links are not followed")
    try:
        port = parts.port or DEFAULT_PORTS[parts.scheme]
    except ValueError:
        raise Refused(f"{url}: the port is not a number") from None
    source_parts = urlsplit(source.url)
    allowed = {source_parts.port or DEFAULT_PORTS.get(source_parts.scheme, 80), 80, 443}
    if port not in allowed:
        raise Refused(f"{url}: port {port} is not the source's port; other ports are not followed")


def _plain(ip: IPAddress) -> IPAddress:
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return ip.ipv4_mapped
        if ip.sixtofour is not None:
            return ip.sixtofour
    return ip


def address_refusal(address: str, source: Source) -> str | None:
    """Why the crawler may not connect to `address` for this source, or None when it may.
    Only global (public) addresses, unless the entry allows private ones or names the network."""
    try:
        ip = _plain(ipaddress.ip_address(address.split("%", 1)[0]))
    except ValueError:
        return f"{address} is not an IP address"
    for network in source.allow_addresses:
        try:
            if ip in ipaddress.ip_network(network, strict=False):
                return None
        except ValueError:
            continue
    if ip.is_multicast or ip.is_unspecified:
        return f"{address} is a multicast or unspecified address"
    if ip.is_global:
        return None
    if source.allow_private:
        return None
    return f"{_non_public(address, ip)} (set `allow_private: true` on the source entry to allow it)"


def _non_public(address: str, ip: IPAddress) -> str:
    kind = ("loopback" if ip.is_loopback else "link-local" if ip.is_link_local
            else "private" if ip.is_private else "non-public")
    return f"{address} is a {kind} address; the crawler only connects to public addresses"


async def resolve_checked(url: str, source: Source, resolver: Resolver, *, attachment: bool = False) -> str:
    """Check the URL, resolve its host and check every address it resolves to; returns the
    address to connect to. Raises Refused."""
    check_url(url, source, attachment=attachment)
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = parts.port or DEFAULT_PORTS[parts.scheme]
    try:
        addresses = [str(ipaddress.ip_address(host))]  # an address already: nothing to resolve
    except ValueError:
        addresses = []
    try:
        addresses = addresses or list(await resolver(host, port))
    except (OSError, UnicodeError) as exc:
        raise Refused(f"{url}: the host name {host} cannot be resolved ({exc})") from None
    if not addresses:
        raise Refused(f"{url}: the host name {host} has no address")
    for address in addresses:
        why = address_refusal(address, source)
        if why:
            raise Refused(f"{url}: {host} resolves to {why}")
    return addresses[0]


async def host_refusal(source: Source, resolver: Resolver | None = None) -> str | None:
    """Why the crawler could not connect to the source's host as its entry stands (the name
    resolves to a private, loopback … address), or None. A name that does not resolve here is not
    refused: the crawl will say so."""
    host = source.host
    try:
        addresses = [str(ipaddress.ip_address(host.strip("[]")))]
    except ValueError:
        try:
            addresses = list(await (resolver or system_resolver)(host, DEFAULT_PORTS.get(urlsplit(source.url).scheme, 80)))
        except (OSError, UnicodeError):
            return None
    for address in addresses:
        if address_refusal(address, source):
            why = _non_public(address, _plain(ipaddress.ip_address(address.split("%", 1)[0])))
            return why if address == host.strip("[]") else f"{host} resolves to {why}"
    return None


def pinned_url(url: str, address: str) -> str:
    """The URL with its host replaced by the checked address (Host header and TLS name are set
    to the original host by the caller)."""
    parts = urlsplit(url)
    host = f"[{address}]" if ":" in address else address
    netloc = host + (f":{parts.port}" if parts.port else "")
    return parts._replace(netloc=netloc).geturl()


_UNSAFE_NAME_CHARS = re.compile(r"[\x00-\x1f\x7f/\\:*?\"<>|]+")
_EXTENSION = re.compile(r"^[a-z0-9]{1,8}$")
MAX_NAME_CHARS = 120


def safe_filename(name: str, default: str = "document") -> str:
    """A file name that is safe on every file system: no path separators or control characters,
    no leading dots (hidden files, '..'), at most MAX_NAME_CHARS characters, extension kept."""
    name = unicodedata.normalize("NFC", unquote(name or ""))
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = _UNSAFE_NAME_CHARS.sub("_", name).strip(" .")
    if not name:
        return default
    stem, dot, ext = name.rpartition(".")
    if dot and stem and _EXTENSION.match(ext.lower()):
        return stem[: MAX_NAME_CHARS - len(ext) - 1].rstrip(" .") + "." + ext.lower()
    return name[:MAX_NAME_CHARS]


def url_extension(url: str) -> str:
    """The lower-case extension of the URL's last path segment ('' when it has none)."""
    last = safe_filename(urlsplit(url).path.rsplit("/", 1)[-1], default="")
    stem, dot, ext = last.rpartition(".")
    return ext if dot and stem and _EXTENSION.match(ext) else ""
