from django.test import RequestFactory

from awareness.lib.throttling import client_address


def request_from(remote: str, forwarded: str = ""):
    headers = {"x-forwarded-for": forwarded} if forwarded else {}
    return RequestFactory().post("/", REMOTE_ADDR=remote, headers=headers)


def test_without_proxies_the_socket_address_counts_and_headers_are_ignored(settings):
    settings.PROXY_COUNT = 0

    assert client_address(request_from("203.0.113.5", "198.51.100.1")) == "203.0.113.5"


def test_behind_one_proxy_the_address_it_saw_counts_not_what_the_client_claims(settings):
    settings.PROXY_COUNT = 1
    spoofed = request_from("10.0.0.2", "1.2.3.4, 198.51.100.7")

    assert client_address(spoofed) == "198.51.100.7"


def test_a_request_that_bypassed_the_proxies_falls_back_to_the_socket(settings):
    settings.PROXY_COUNT = 2

    assert client_address(request_from("10.0.0.2", "198.51.100.7")) == "10.0.0.2"
