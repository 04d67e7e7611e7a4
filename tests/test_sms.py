"""The SMS gateway: the local one records every message in a file any process can append to;
the HTTP one talks to a provider, here a real HTTP server on loopback."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from awareness.lib import sms
from awareness.lib.sms import SmsRejected, SmsTransientError, read_sink, send_text

NUMBER = "+85291234567"


@pytest.fixture
def sink(settings, tmp_path):
    settings.SMS_GATEWAY = "awareness.lib.sms.LocalFileGateway"
    settings.SMS_SINK_PATH = tmp_path / "var" / "sms" / "outbox.jsonl"
    return settings.SMS_SINK_PATH


def test_the_local_gateway_records_each_message_as_a_json_line(sink):
    first = send_text(NUMBER, "Your parcel is held: pay HK$12", sender="HKPost", headers={"x": "1"})
    second = send_text("+447700900123", "第二條訊息", sender="Bank")

    messages = read_sink()
    assert [m["id"] for m in messages] == [first, second]
    assert messages[0]["to"] == NUMBER
    assert messages[0]["body"] == "Your parcel is held: pay HK$12"
    assert messages[0]["sender"] == "HKPost" and messages[0]["headers"] == {"x": "1"}
    assert messages[1]["body"] == "第二條訊息" and messages[1]["headers"] == {}
    assert len(sink.read_text(encoding="utf-8").splitlines()) == 2
    sms.clear_sink()
    assert read_sink() == []


def test_messages_sent_by_another_process_are_read_back(sink, start_process):
    script = (
        "import os, django; os.environ['DJANGO_SETTINGS_MODULE'] = 'awareness.settings'; "
        "django.setup(); from awareness.lib.sms import send_text; "
        f"print(send_text({NUMBER!r}, 'from a worker', sender='Bank'))"
    )
    worker = start_process("-c", script, SMS_SINK_PATH=str(sink))
    output, _ = worker.communicate(timeout=60)

    assert worker.returncode == 0, output
    [message] = read_sink()
    assert message["id"] == output.strip().splitlines()[-1]
    assert message["body"] == "from a worker" and message["pid"] == worker.pid


@pytest.mark.parametrize(
    ("to", "body", "sender"),
    [("91234567", "hi", "Bank"), ("+852 9123 4567", "hi", "Bank"), (NUMBER, "", "Bank"),
     (NUMBER, "x" * 1601, "Bank"), (NUMBER, "hi", "")],
)  # fmt: skip
def test_a_malformed_message_is_rejected_before_any_gateway(sink, to, body, sender):
    with pytest.raises(SmsRejected):
        send_text(to, body, sender=sender)

    assert read_sink() == []


class Provider:
    """A provider's HTTP API on loopback: records each request and answers as told."""

    def __init__(self):
        self.requests: list[dict] = []
        self.status = 200
        self.answer: dict = {"id": "prov-1"}
        self.delay = 0.0
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                provider.requests.append(
                    {"path": self.path, "headers": dict(self.headers), "json": json.loads(body)}
                )
                time.sleep(provider.delay)
                payload = json.dumps(provider.answer).encode()
                self.send_response(provider.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_port}/v1/messages"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def provider(settings):
    server = Provider()
    settings.SMS_GATEWAY = "awareness.lib.sms.HttpGateway"
    settings.SMS_HTTP_URL = server.url
    settings.SMS_HTTP_TOKEN = "s3cret-token"
    settings.SMS_HTTP_TIMEOUT = 1.0
    yield server
    server.stop()


def test_the_http_gateway_posts_json_with_the_token_and_returns_the_providers_id(provider):
    message_id = send_text(NUMBER, "Code 123456", sender="Bank", headers={"campaign": "7"})

    assert message_id == "prov-1"
    [request] = provider.requests
    assert request["path"] == "/v1/messages"
    assert request["headers"]["Authorization"] == "Bearer s3cret-token"
    assert request["headers"]["Content-Type"] == "application/json"
    assert request["json"] == {
        "to": NUMBER,
        "body": "Code 123456",
        "sender": "Bank",
        "headers": {"campaign": "7"},
    }


def test_a_message_id_field_is_understood_too(provider):
    provider.answer = {"message_id": 4711}

    assert send_text(NUMBER, "hi", sender="Bank") == "4711"


@pytest.mark.parametrize("status", [500, 502, 503, 429])
def test_a_server_error_or_throttling_is_a_transient_error_to_retry(provider, status):
    provider.status, provider.answer = status, {"error": "busy"}

    with pytest.raises(SmsTransientError, match=str(status)):
        send_text(NUMBER, "hi", sender="Bank")


@pytest.mark.parametrize("status", [400, 401, 403, 422])
def test_a_refusal_is_permanent(provider, status):
    provider.status, provider.answer = status, {"error": "invalid number"}

    with pytest.raises(SmsRejected, match=str(status)):
        send_text(NUMBER, "hi", sender="Bank")


def test_a_provider_slower_than_the_timeout_is_a_transient_error(provider, settings):
    settings.SMS_HTTP_TIMEOUT = 0.3
    provider.delay = 1.0

    started = time.monotonic()
    with pytest.raises(SmsTransientError, match="did not answer"):
        send_text(NUMBER, "hi", sender="Bank")
    assert time.monotonic() - started < 1.0


def test_an_unreachable_provider_is_a_transient_error(provider, settings):
    provider.stop()

    with pytest.raises(SmsTransientError):
        send_text(NUMBER, "hi", sender="Bank")


def test_the_http_gateway_needs_an_http_url(settings):
    settings.SMS_GATEWAY = "awareness.lib.sms.HttpGateway"
    settings.SMS_HTTP_URL = "file:///etc/passwd"

    with pytest.raises(SmsRejected, match="SMS_HTTP_URL"):
        send_text(NUMBER, "hi", sender="Bank")


def test_the_default_gateway_writes_under_the_var_dir():
    from django.conf import settings

    assert settings.SMS_GATEWAY == "awareness.lib.sms.LocalFileGateway"
    assert settings.SMS_SINK_PATH.is_relative_to(settings.VAR_DIR)
