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


def non_public_kind(address: IPAddress) -> str | None:
    """Why an address is not a public one, in Russian, or None for a public address."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return non_public_kind(address.ipv4_mapped)
    checks = (
        (address.is_loopback, "локальный адрес компьютера"),
        (address.is_link_local, "адрес локального сегмента сети"),
        (address.is_multicast, "групповой адрес"),
        (address.is_unspecified, "неопределённый адрес"),
        (address.is_private, "адрес внутренней сети"),
        (address.is_reserved, "зарезервированный адрес"),
        (not address.is_global, "адрес не из публичного интернета"),
    )
    return next((kind for flag, kind in checks if flag), None)


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
        self._inner = network or httpcore.AnyIOBackend()
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
