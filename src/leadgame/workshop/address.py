"""The address to tell people: one a phone on the same network can open.

A server listening on every interface (0.0.0.0 or ::) cannot be reached *at* that address —
browsers refuse it — so the address printed and put in pages is this machine's LAN address
instead, unless the facilitator names a public URL (a reverse proxy, a hostname of their own).
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

EVERY_INTERFACE = {"0.0.0.0", "::", ""}


class AddressError(ValueError):
    """A --public-url that is not an http(s) address."""


def lan_address() -> str:
    """This machine's address on its local network, or 127.0.0.1 when it has none.

    Connecting a UDP socket sends nothing; it only asks the OS which interface would be used."""
    for probe in ("10.255.255.255", "192.168.255.255"):
        try:
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
                udp.connect((probe, 1))
                address = udp.getsockname()[0]
        except OSError:
            continue
        if not ipaddress.ip_address(address).is_unspecified:
            return address
    return "127.0.0.1"


def reachable_host(host: str) -> str:
    """The host to put in a link, for a server listening on `host`."""
    return lan_address() if host.strip("[]") in EVERY_INTERFACE else host


def public_url(host: str, port: int, given: str | None = None) -> str:
    """The base URL people are told (no trailing slash): `given`, checked, or built from the host."""
    if given:
        parts = urlsplit(given.strip())
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise AddressError(f"--public-url must be an http:// or https:// address, not {given[:80]!r}")
        return given.strip().rstrip("/")
    name = reachable_host(host)
    if ":" in name:  # an IPv6 address goes in brackets
        name = f"[{name}]"
    return f"http://{name}" + ("" if port == 80 else f":{port}")
