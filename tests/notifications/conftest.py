"""A stand-in for the DingTalk / WeCom robot servers, on 127.0.0.1 (the tests use no network).

``robot_server`` records every request and answers as told: HTTP 500 for the next
``failing`` requests, then ``reply`` (``{"errcode": 0}`` unless a test changes it), or,
with ``raw_reply`` set, those exact bytes instead of an HTTP response.
"""

from __future__ import annotations

import json
import threading
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


@dataclass
class ReceivedRequest:
    path: str
    query: dict[str, list[str]]
    payload: dict


@dataclass
class FakeRobotServer:
    url: str = ""
    failing: int = 0
    reply: object = field(default_factory=lambda: {"errcode": 0, "errmsg": "ok"})
    raw_reply: bytes | None = None
    requests: list[ReceivedRequest] = field(default_factory=list)

    def fail_next(self, count: int) -> None:
        self.failing = count


def _handler_for(state: FakeRobotServer):
    class RobotHandler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - the name http.server calls
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            parts = urllib.parse.urlsplit(self.path)
            state.requests.append(ReceivedRequest(parts.path, urllib.parse.parse_qs(parts.query), json.loads(body)))
            if state.raw_reply is not None:
                self.wfile.write(state.raw_reply)
                self.close_connection = True
                return
            if state.failing > 0:
                state.failing -= 1
                self._send(500, b"busy")
            else:
                self._send(200, json.dumps(state.reply).encode())

        def _send(self, status: int, content: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(content)))
            self.end_headers()
            self.wfile.write(content)

        def log_message(self, format, *args):  # noqa: A002 - keep the test output quiet
            pass

    return RobotHandler


@pytest.fixture
def robot_server(monkeypatch):
    for name in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    state = FakeRobotServer()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(state))
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


@pytest.fixture(autouse=True)
def _notification_settings(settings):
    """Tasks run at once in the test's process; mail stays in memory; SMS are only logged."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.QIFU_SMS_PROVIDER = "notifications.senders.LogSmsProvider"
    settings.QIFU_NOTIFICATION_MAX_ATTEMPTS = 8
    settings.QIFU_WEBHOOK_TIMEOUT = 5
