"""Which address an audit entry records as the source (来源IP).

REMOTE_ADDR is the peer that opened the connection. X-Forwarded-For is written by whoever sent the request,
so it is believed only when that peer is one of our own reverse proxies (`AUDIT_TRUSTED_PROXIES`: addresses
or networks, empty by default). Then the header is read from the right, skipping our proxies, and the first
address not ours is the client: entries further left were written by the client and can be forged.
"""

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


@lru_cache(maxsize=8)
def _networks(entries):
    try:
        return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)
    except ValueError as exc:
        raise ImproperlyConfigured(f"AUDIT_TRUSTED_PROXIES: {exc}") from exc


def trusted_proxies():
    return _networks(tuple(getattr(settings, "AUDIT_TRUSTED_PROXIES", ())))


def parse_ip(value):
    """An address from REMOTE_ADDR or one X-Forwarded-For hop ("1.2.3.4", "1.2.3.4:80", "[::1]:80"), or None."""
    value = (value or "").strip()
    if value.startswith("["):
        value = value[1:].split("]", 1)[0]
    elif value.count(":") == 1:
        value = value.split(":", 1)[0]
    try:
        return ipaddress.ip_address(value)
    except ValueError:
        return None


def _is_trusted(address, networks):
    return any(address in network for network in networks)


def _peer_is_proxy(request):
    peer = parse_ip(request.META.get("REMOTE_ADDR"))
    networks = trusted_proxies()
    return peer, bool(peer and networks and _is_trusted(peer, networks))


def client_ip(request):
    """The client's address as text, or None when the request carries none."""
    peer, behind_proxy = _peer_is_proxy(request)
    if peer is None:
        return None
    if not behind_proxy:
        return str(peer)
    networks = trusted_proxies()
    hops = [hop for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    client = peer
    for hop in reversed(hops):
        address = parse_ip(hop)
        if address is None:
            # A malformed hop: keep the last address a trusted proxy vouched for.
            break
        client = address
        if not _is_trusted(address, networks):
            break
    return str(client)


def client_port(request):
    """The client's source port when the peer is the client itself; a proxy does not tell us the client's."""
    peer, behind_proxy = _peer_is_proxy(request)
    if peer is None or behind_proxy:
        return None
    try:
        return int(request.META.get("REMOTE_PORT", ""))
    except ValueError:
        return None
