"""A vendor's HTTP API on 127.0.0.1 in a thread of the test process: the base of the fake
WeChat, WeChat Pay and Tencent Cloud SMS servers. Each fake checks requests as its vendor
documents it and answers as its vendor does."""

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


@dataclass
class Received:
    method: str
    path: str  # with its query string, as sent
    headers: dict  # lower-case names
    body: bytes

    @property
    def query(self) -> dict:
        return {k: v[0] for k, v in parse_qs(urlsplit(self.path).query).items()}

    def json(self):
        return json.loads(self.body)


@dataclass
class Answer:
    status: int
    body: bytes = b""
    headers: dict = field(default_factory=dict)

    @classmethod
    def json(cls, status: int, value, **headers) -> "Answer":
        body = json.dumps(value, ensure_ascii=False).encode()
        return cls(status, body, {"Content-Type": "application/json", **headers})


class VendorServer:
    """Start with `with Fake(...) as fake:`; `fake.url` is its base URL, `fake.received` every
    request it took."""

    def __init__(self) -> None:
        self.received: list[Received] = []
        self._lock = threading.Lock()
        vendor = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                request = Received(
                    method=self.command,
                    path=self.path,
                    headers={k.lower(): v for k, v in self.headers.items()},
                    body=self.rfile.read(length) if length else b"",
                )
                with vendor._lock:
                    vendor.received.append(request)
                    answer = vendor.answer(request)
                self.send_response(answer.status)
                for name, value in answer.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(answer.body)))
                self.end_headers()
                self.wfile.write(answer.body)

            do_GET = do_POST = _serve

            def log_message(self, format, *args):  # the request line carries secrets: print nothing
                return

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def answer(self, request: Received) -> Answer:
        raise NotImplementedError

    def calls(self, path_prefix: str) -> list[Received]:
        return [r for r in self.received if urlsplit(r.path).path.startswith(path_prefix)]

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
