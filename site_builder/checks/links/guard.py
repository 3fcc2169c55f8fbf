"""The address guard: every connection is resolved first and refused when it would reach a non-public address.

The guard sits in the network backend under httpx, so it applies to the first request and to every redirect
target alike, after DNS resolution (a public-looking name that resolves to 10.0.0.5 is refused too).
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import typing
from collections.abc import Iterable, Mapping
from typing import Protocol

import httpcore

from site_builder.checks.links.network import AsyncioBackend

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Address = tuple[str, int]


class AddressRefused(Exception):
    """A host resolves to an address the checker must not contact."""

    def __init__(self, host: str, address: str, kind: str) -> None:
        super().__init__(f"{host} → {address} ({kind})")
        self.host = host
        self.address = address
        self.kind = kind


class NameNotFound(Exception):
    """DNS says the host name does not exist."""

    def __init__(self, host: str, detail: str) -> None:
        super().__init__(f"{host}: {detail}")
        self.host = host
        self.detail = detail


class NameLookupFailed(Exception):
    """DNS could not answer now (no server, temporary failure, time-out)."""

    def __init__(self, host: str, detail: str) -> None:
        super().__init__(f"{host}: {detail}")
        self.host = host
        self.detail = detail


def _networks(
    *rows: tuple[str, str],
) -> tuple[tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, str], ...]:
    return tuple((ipaddress.ip_network(net), kind) for net, kind in rows)


LOOPBACK, LINK_LOCAL, PRIVATE = (
    "локальный адрес компьютера",
    "адрес локального сегмента сети",
    "адрес внутренней сети",
)
DOCUMENTATION, MULTICAST = "адрес для примеров в документации", "групповой адрес"
SPECIAL = "адрес особого назначения (RFC 6890), не сайт в интернете"
# The IANA special-purpose registries (RFC 6890 and later), written out so the verdict does not depend on the
# Python version's idea of «global»: even the blocks marked globally reachable there (anycast, AS112) serve
# no documents, so every one of them is refused.
SPECIAL_IPV4 = _networks(
    ("0.0.0.0/8", "неопределённый адрес"), ("10.0.0.0/8", PRIVATE), ("100.64.0.0/10", PRIVATE),
    ("127.0.0.0/8", LOOPBACK), ("169.254.0.0/16", LINK_LOCAL), ("172.16.0.0/12", PRIVATE),
    ("192.0.0.0/24", SPECIAL), ("192.0.2.0/24", DOCUMENTATION), ("192.31.196.0/24", SPECIAL),
    ("192.52.193.0/24", SPECIAL), ("192.88.99.0/24", SPECIAL), ("192.168.0.0/16", PRIVATE),
    ("192.175.48.0/24", SPECIAL), ("198.18.0.0/15", "адрес для тестов производительности сетей"),
    ("198.51.100.0/24", DOCUMENTATION), ("203.0.113.0/24", DOCUMENTATION), ("224.0.0.0/4", MULTICAST),
    ("240.0.0.0/4", "зарезервированный адрес"), ("255.255.255.255/32", "широковещательный адрес"),
)  # fmt: skip
SPECIAL_IPV6 = _networks(
    ("::/128", "неопределённый адрес"), ("::1/128", LOOPBACK), ("::/96", "устаревшая форма IPv6 со встроенным IPv4"),
    ("64:ff9b:1::/48", "адрес локальной трансляции NAT64"), ("100::/64", "адрес для сброса трафика"),
    ("100:0:0:1::/64", SPECIAL), ("2001::/23", SPECIAL), ("2001:db8::/32", DOCUMENTATION),
    ("2620:4f:8000::/48", SPECIAL), ("3fff::/20", DOCUMENTATION), ("5f00::/16", SPECIAL),
    ("fc00::/7", PRIVATE), ("fe80::/10", LINK_LOCAL), ("fec0::/10", PRIVATE), ("ff00::/8", MULTICAST),
)  # fmt: skip
NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
IPV4_COMPATIBLE = ipaddress.IPv6Network("::/96")


def embedded_ipv4(address: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    """The IPv4 addresses an IPv6 address carries and would reach: mapped, compatible, 6to4, NAT64, Teredo."""
    if address.ipv4_mapped is not None:
        return [address.ipv4_mapped]
    if address.sixtofour is not None:
        return [address.sixtofour]
    if address.teredo is not None:
        return list(address.teredo)
    if address in NAT64 or (address in IPV4_COMPATIBLE and int(address) > 1):
        return [ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)]
    return []


def non_public_kind(address: IPAddress) -> str | None:
    """Why an address is not a public one, in Russian, or None for a public address."""
    if isinstance(address, ipaddress.IPv6Address):
        for inner in embedded_ipv4(address):
            kind = non_public_kind(inner)
            if kind is not None:
                return f"{kind} ({inner}, встроен в IPv6)"
        if address.ipv4_mapped is not None:
            return None
    table = SPECIAL_IPV4 if isinstance(address, ipaddress.IPv4Address) else SPECIAL_IPV6
    found = next((kind for network, kind in table if address in network), None)
    if found is None and isinstance(address, ipaddress.IPv6Address) and address.sixtofour is not None:
        return None  # 6to4 of a public IPv4: reached through a public relay
    if found is None and not address.is_global:
        found = "адрес не из публичного интернета"
    return found


def check_address(host: str, address: str, allow_private: bool) -> None:
    if allow_private:
        return
    kind = non_public_kind(ipaddress.ip_address(address))
    if kind is not None:
        raise AddressRefused(host, address, kind)


class Resolver(Protocol):
    async def resolve(self, host: str, port: int) -> list[Address]: ...


_NOT_FOUND_CODES = {getattr(socket, name) for name in ("EAI_NONAME", "EAI_NODATA") if hasattr(socket, name)}


class SystemResolver:
    """The operating system's resolver, with answers remembered for the run."""

    def __init__(self) -> None:
        self._answers: dict[Address, asyncio.Task[list[Address]]] = {}

    async def resolve(self, host: str, port: int) -> list[Address]:
        key = (host, port)
        task = self._answers.get(key)
        if task is None:
            task = self._answers[key] = asyncio.ensure_future(self._lookup(host, port))
        try:
            return await asyncio.shield(task)
        except NameLookupFailed:
            # A passing DNS failure must not stick for the whole run: the retry looks the name up again.
            if self._answers.get(key) is task:
                del self._answers[key]
            raise

    async def _lookup(self, host: str, port: int) -> list[Address]:
        loop = asyncio.get_running_loop()
        try:
            infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except socket.gaierror as error:
            detail = error.strerror or str(error)
            if error.errno in _NOT_FOUND_CODES:
                raise NameNotFound(host, detail) from error
            raise NameLookupFailed(host, detail) from error
        except (UnicodeError, OSError) as error:
            raise NameLookupFailed(host, str(error)) from error
        addresses: list[Address] = []
        for info in infos:
            sockaddr = info[4]
            entry = (str(sockaddr[0]), int(sockaddr[1]))
            if entry not in addresses:
                addresses.append(entry)
        return addresses


def _split_address(text: str, default_port: int) -> Address:
    if text.startswith("["):
        host, _, rest = text[1:].partition("]")
        return host, int(rest[1:]) if rest.startswith(":") else default_port
    if text.count(":") == 1:
        host, port = text.split(":")
        return host, int(port)
    return text, default_port


class StaticResolver:
    """Fixed answers («host» or «host:port» → «ip» or «ip:port»), like curl --resolve.

    Names not in the table go to `fallback`; with no fallback they do not exist, which is what tests want:
    nothing leaves 127.0.0.1.
    """

    def __init__(self, table: Mapping[str, str], fallback: Resolver | None = None) -> None:
        self._table = {key.lower(): value for key, value in table.items()}
        self._fallback = fallback

    async def resolve(self, host: str, port: int) -> list[Address]:
        target = self._table.get(f"{host}:{port}") or self._table.get(host)
        if target is not None:
            return [_split_address(target, port)]
        literal = _ip_or_none(host)
        if literal is not None:
            return [(host, port)]
        if self._fallback is None:
            raise NameNotFound(host, "имени нет в таблице подмены адресов")
        return await self._fallback.resolve(host, port)


def _ip_or_none(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


def make_resolver(table: Mapping[str, str]) -> Resolver:
    return StaticResolver(table, SystemResolver()) if table else SystemResolver()


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """httpcore's network backend with name resolution and the address guard in front of every connect."""

    def __init__(
        self, resolver: Resolver, allow_private: bool, network: httpcore.AsyncNetworkBackend | None = None
    ) -> None:
        self._inner = network or AsyncioBackend()
        self._resolver = resolver
        self._allow_private = allow_private

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: typing.Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        try:
            async with asyncio.timeout(timeout):
                addresses = await self._resolver.resolve(host, port)
        except TimeoutError as error:
            raise NameLookupFailed(host, "DNS не ответил вовремя") from error
        if not addresses:
            raise NameNotFound(host, "у имени нет адресов")
        for address, _ in addresses:
            check_address(host, address, self._allow_private)
        return await self._connect_first(addresses, timeout, local_address, socket_options)

    async def _connect_first(
        self,
        addresses: Iterable[Address],
        timeout: float | None,
        local_address: str | None,
        socket_options: typing.Iterable[httpcore.SOCKET_OPTION] | None,
    ) -> httpcore.AsyncNetworkStream:
        last_error: Exception | None = None
        for address, port in addresses:
            try:
                return await self._inner.connect_tcp(address, port, timeout, local_address, socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as error:
                last_error = error
        assert last_error is not None
        raise last_error

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: typing.Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise AddressRefused(path, path, "локальный сокет")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)
