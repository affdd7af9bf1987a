"""Which source address is believed (AUDIT_TRUSTED_PROXIES)."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory

from shenbao.audit.network import client_ip, client_port, parse_ip


def request(remote_addr="198.51.100.1", forwarded=None, port=None):
    extra = {"REMOTE_ADDR": remote_addr}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    if port is not None:
        extra["REMOTE_PORT"] = port
    return RequestFactory().get("/", **extra)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1.2.3.4", "1.2.3.4"),
        ("1.2.3.4:8080", "1.2.3.4"),
        ("[2001:db8::1]:443", "2001:db8::1"),
        ("2001:db8::1", "2001:db8::1"),
        (" 1.2.3.4 ", "1.2.3.4"),
        ("unknown", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_ip(text, expected):
    parsed = parse_ip(text)
    assert (str(parsed) if parsed else None) == expected


def test_without_trusted_proxies_the_peer_is_the_client(settings):
    settings.AUDIT_TRUSTED_PROXIES = []
    assert client_ip(request(forwarded="1.2.3.4")) == "198.51.100.1"


def test_a_header_from_an_untrusted_peer_is_ignored(settings):
    settings.AUDIT_TRUSTED_PROXIES = ["10.0.0.1"]
    assert client_ip(request(remote_addr="10.0.0.2", forwarded="1.2.3.4")) == "10.0.0.2"


def test_the_rightmost_address_not_ours_is_the_client(settings):
    settings.AUDIT_TRUSTED_PROXIES = ["10.0.0.0/8", "192.0.2.1"]
    forged_then_real = "6.6.6.6, 203.0.113.5, 192.0.2.1, 10.1.1.1"
    assert client_ip(request(remote_addr="10.0.0.1", forwarded=forged_then_real)) == "203.0.113.5"


def test_a_trusted_peer_without_the_header_is_itself_the_client(settings):
    settings.AUDIT_TRUSTED_PROXIES = ["10.0.0.1"]
    assert client_ip(request(remote_addr="10.0.0.1")) == "10.0.0.1"


def test_a_malformed_hop_stops_at_the_last_vouched_address(settings):
    settings.AUDIT_TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert client_ip(request(remote_addr="10.0.0.1", forwarded="garbage, 10.0.0.9")) == "10.0.0.9"


def test_ports_are_stripped_from_forwarded_hops(settings):
    settings.AUDIT_TRUSTED_PROXIES = ["10.0.0.1"]
    assert client_ip(request(remote_addr="10.0.0.1", forwarded="[2001:db8::7]:5555")) == "2001:db8::7"


def test_no_remote_addr_gives_none(settings):
    assert client_ip(request(remote_addr="")) is None


def test_client_port_only_from_a_direct_peer(settings):
    settings.AUDIT_TRUSTED_PROXIES = ["10.0.0.1"]
    assert client_port(request(port="50123")) == 50123
    assert client_port(request(remote_addr="10.0.0.1", port="50123")) is None


def test_a_bad_proxy_setting_is_reported(settings):
    settings.AUDIT_TRUSTED_PROXIES = ["not-an-address"]
    with pytest.raises(ImproperlyConfigured):
        client_ip(request())
