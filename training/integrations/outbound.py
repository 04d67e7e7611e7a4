"""The network edge: one HTTP request to an address an organisation admin typed in.

Redirects are never followed, and outside development only public addresses are contacted
(the name is resolved once and the connection pinned to that address, so a DNS answer
cannot be swapped between the check and the request)."""

import http.client
import ipaddress
import socket
import ssl
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

LOCAL_NAMES = {"localhost", "127.0.0.1", "::1"}
MAX_RESPONSE_BYTES = 64 * 1024


class DeliveryFailed(Exception):
    """A request that did not succeed; `transient` ones are tried again later."""

    def __init__(self, message: str, *, transient: bool, status: int | None = None):
        super().__init__(message)
        self.transient = transient
        self.status = status


def check_address(url: str) -> None:
    """Form-time rules: https (plain http only to this machine, where allowed), no
    credentials in the address, no private or loopback literal address unless allowed."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    allow_local = settings.INTEGRATIONS_ALLOW_LOCAL_URLS
    if parts.scheme == "http" and not (allow_local and host in LOCAL_NAMES):
        raise ValidationError(_("Use an https:// address."), code="scheme")
    if parts.scheme != "https" and parts.scheme != "http":
        raise ValidationError(_("Use an https:// address."), code="scheme")
    if parts.username or parts.password:
        raise ValidationError(
            _("Leave the user name and password out of the address."), code="credentials"
        )
    if not allow_local and (host in LOCAL_NAMES or _is_private_literal(host)):
        raise ValidationError(
            _("This address is on a private network; use a public address."), code="private"
        )


def _is_private_literal(host: str) -> bool:
    try:
        return not ipaddress.ip_address(host).is_global
    except ValueError:
        return False


def _public_address(host: str, port: int) -> str:
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as error:
        raise DeliveryFailed(f"cannot resolve {host}: {error}", transient=True) from error
    addresses = [info[4][0] for info in found]
    if not settings.INTEGRATIONS_ALLOW_LOCAL_URLS and any(
        not ipaddress.ip_address(a.split("%")[0]).is_global for a in addresses
    ):
        raise DeliveryFailed(f"{host} resolves to a private address", transient=False)
    return addresses[0]


class _PinnedHTTP(http.client.HTTPConnection):
    def __init__(self, host, port, *, address, **kwargs):
        super().__init__(host, port, **kwargs)
        self.address = address

    def connect(self):
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class _PinnedHTTPS(http.client.HTTPSConnection):
    def __init__(self, host, port, *, address, **kwargs):
        super().__init__(host, port, context=ssl.create_default_context(), **kwargs)
        self.address = address

    def connect(self):
        sock = socket.create_connection((self.address, self.port), self.timeout)
        # The certificate is checked against the name, not the pinned address.
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def send(method: str, url: str, body: bytes, headers: dict[str, str]) -> int:
    """Make one request; returns the 2xx status or raises DeliveryFailed."""
    check_address(url)  # the rules may have changed since the address was saved
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    address = _public_address(parts.hostname, port)
    connection_class = _PinnedHTTPS if parts.scheme == "https" else _PinnedHTTP
    connection = connection_class(
        parts.hostname, port, address=address, timeout=settings.INTEGRATIONS_TIMEOUT_SECONDS
    )
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        response.read(MAX_RESPONSE_BYTES)
        status = response.status
    except (OSError, http.client.HTTPException) as error:  # timeouts, refusals, resets, TLS
        raise DeliveryFailed(f"{type(error).__name__}: {error}", transient=True) from error
    finally:
        connection.close()
    if 200 <= status < 300:
        return status
    # 3xx is an answer too: a redirect is never followed, so it is a failure to report.
    transient = status >= 500 or status in (408, 429)
    raise DeliveryFailed(f"HTTP {status}", transient=transient, status=status)
