"""Text messages (SMS) through a pluggable gateway.

    send_text("+85291234567", "Your code is 123456", sender="Awareness") -> message id

settings.SMS_GATEWAY (env SMS_GATEWAY) is the dotted path of the gateway class:

- awareness.lib.sms.LocalFileGateway (the default): sends nothing; appends one JSON line per
  message to settings.SMS_SINK_PATH (env SMS_SINK_PATH, under VAR_DIR by default), so what a
  web process or a real Celery worker "sent" can be read back by tests and developers with
  read_sink().
- awareness.lib.sms.HttpGateway: a provider's HTTP API, configured by SMS_HTTP_URL, SMS_HTTP_TOKEN
  and SMS_HTTP_TIMEOUT. It POSTs JSON {"to", "body", "sender", "headers"} with
  "Authorization: Bearer <token>" and reads the message id from the JSON answer ("id" or
  "message_id").

Errors: SmsTransientError (timeouts, refused connections, 5xx, 429: try again later; a Celery
task retries on it), SmsRejected (the number, the message or our credentials were refused: a
retry would fail the same way). Both are SmsError.

This module only carries messages. Who may be texted (confirmed numbers only) is decided by
the caller: see training.people.selectors.confirmed_phone.
"""

import fcntl
import json
import logging
import os
import re
import urllib.error
import urllib.request
import uuid
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)
_E164 = re.compile(r"^\+[1-9][0-9]{6,14}$")
MAX_BODY = 1600  # ten concatenated SMS parts: more is a mistake, not a message


class SmsError(Exception):
    """A message could not be sent."""


class SmsTransientError(SmsError):
    """The gateway is down, slow or busy: the same message may go through later."""


class SmsRejected(SmsError):
    """The gateway (or this module) refused the message: retrying will not help."""


def send_text(to: str, body: str, *, sender: str, headers: dict[str, str] | None = None) -> str:
    """Send one text message to an E.164 number; returns the gateway's message id."""
    if not _E164.match(to or ""):
        raise SmsRejected(f"not an E.164 phone number: {to!r}")
    if not body or len(body) > MAX_BODY:
        raise SmsRejected(f"a message has 1 to {MAX_BODY} characters, not {len(body or '')}")
    if not sender:
        raise SmsRejected("a message needs a sender name")
    return gateway().send(to=to, body=body, sender=sender, headers=dict(headers or {}))


def gateway():
    """A new instance of the configured gateway (settings are read each time, so tests can
    override them)."""
    return import_string(settings.SMS_GATEWAY)()


# --- Local gateway: a JSON-lines file ---------------------------------------------------------


class LocalFileGateway:
    """Records messages instead of sending them: one JSON object per line, appended under an
    exclusive lock so several processes (web, workers) can write at once."""

    def __init__(self, path: str | os.PathLike | None = None):
        self.path = Path(path or settings.SMS_SINK_PATH)

    def send(self, *, to: str, body: str, sender: str, headers: dict[str, str]) -> str:
        message_id = f"local-{uuid.uuid4().hex}"
        line = json.dumps(
            {
                "id": message_id,
                "to": to,
                "body": body,
                "sender": sender,
                "headers": headers,
                "sent_at": timezone.now().isoformat(),
                "pid": os.getpid(),
            },
            ensure_ascii=False,
        )
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.path, "a", encoding="utf-8") as sink:
            fcntl.flock(sink, fcntl.LOCK_EX)
            try:
                sink.write(line + "\n")
                sink.flush()
            finally:
                fcntl.flock(sink, fcntl.LOCK_UN)
        return message_id


def read_sink(path: str | os.PathLike | None = None) -> list[dict]:
    """Every message the local gateway recorded at `path` (settings.SMS_SINK_PATH by default),
    oldest first; [] if none yet. A line still being written is left out."""
    sink = Path(path or settings.SMS_SINK_PATH)
    try:
        text = sink.read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    messages = []
    for line in text.splitlines():
        try:
            messages.append(json.loads(line))
        except json.JSONDecodeError:
            continue
    return messages


def clear_sink(path: str | os.PathLike | None = None) -> None:
    Path(path or settings.SMS_SINK_PATH).unlink(missing_ok=True)


# --- A real provider over HTTP ----------------------------------------------------------------


class HttpGateway:
    """POSTs each message as JSON to SMS_HTTP_URL with a bearer token."""

    def __init__(self, url: str | None = None, token: str | None = None, timeout=None):
        self.url = url or settings.SMS_HTTP_URL
        self.token = token if token is not None else settings.SMS_HTTP_TOKEN
        self.timeout = float(timeout if timeout is not None else settings.SMS_HTTP_TIMEOUT)
        if not self.url.startswith(("https://", "http://")):
            raise SmsRejected("SMS_GATEWAY is the HTTP gateway but SMS_HTTP_URL is no http(s) URL")

    def send(self, *, to: str, body: str, sender: str, headers: dict[str, str]) -> str:
        payload = json.dumps({"to": to, "body": body, "sender": sender, "headers": headers})
        request = urllib.request.Request(  # noqa: S310 (http or https: checked above)
            self.url,
            data=payload.encode(),
            method="POST",
            headers={
                "Content-Type": "application/json",
                "Accept": "application/json",
                **({"Authorization": f"Bearer {self.token}"} if self.token else {}),
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                answer = response.read()
        except urllib.error.HTTPError as error:
            if error.code >= 500 or error.code in (408, 429):
                raise SmsTransientError(f"SMS gateway answered {error.code}") from error
            raise SmsRejected(f"SMS gateway refused the message ({error.code})") from error
        except TimeoutError as error:
            raise SmsTransientError(f"SMS gateway did not answer in {self.timeout} s") from error
        except urllib.error.URLError as error:
            if isinstance(error.reason, TimeoutError):
                raise SmsTransientError(
                    f"SMS gateway did not answer in {self.timeout} s"
                ) from error
            raise SmsTransientError(f"SMS gateway unreachable: {error.reason}") from error
        except (ConnectionError, OSError) as error:
            raise SmsTransientError(f"SMS gateway connection failed: {error}") from error
        try:
            data = json.loads(answer)
            message_id = data.get("id") or data.get("message_id")
        except (ValueError, AttributeError):
            message_id = None
        if not message_id:
            # Accepted (2xx) all the same: a retry would send the message twice.
            message_id = f"http-{uuid.uuid4().hex}"
            logger.warning("SMS gateway accepted a message without an id; called it %s", message_id)
        return str(message_id)
