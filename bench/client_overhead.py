"""Client overhead: what the generated Musement client adds over hand-written code.

Run by bench/run.py in the project's venv (it needs httpx and pydantic); prints one JSON
object. Three comparisons, each timed in rounds that alternate the two sides, so a burst
of load on a noisy machine hits both alike:

* ``create_order`` through the generated ``Client`` against hand-written httpx plus
  ``Order.model_validate_json``, over an in-process ``httpx.MockTransport``;
* the same two over a loopback HTTP server (a child process on 127.0.0.1, so it does not
  share the client's interpreter lock);
* parsing the Musement order response: the generated client's response reader against
  ``Order.model_validate_json`` on the same model, and against bare pydantic on a model
  of the same schema with no generated base class (``BaseModel``, default config).

Both sides send the same body (a ``CreateOrderRequest`` built once, dumped by alias
without unset fields), the same headers, and parse the same response into the same
``Order`` model; all the generated side does on top is what it does for every call.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "generated"))

import httpx  # noqa: E402
import musement  # noqa: E402
from musement import _http, models  # noqa: E402
from pydantic import BaseModel  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures" / "musement"
REQUEST = json.loads((FIXTURES / "request.json").read_text(encoding="utf-8"))
RESPONSE = (FIXTURES / "response-200.json").read_bytes()
TOKEN = "bench-token"

SERVER = r"""
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

BODY = open(sys.argv[1], "rb").read()
LIMIT = int(sys.argv[2])
served = 0


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # no 40 ms delayed-ACK stalls between header and body
    wbufsize = 1 << 16  # the whole response in one write

    def do_POST(self):
        global served
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(BODY)))
        self.end_headers()
        self.wfile.write(BODY)
        served += 1
        if served >= LIMIT:
            raise SystemExit

    def log_message(self, *args):
        pass


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.timeout = 30
print(server.server_address[1], flush=True)
while served < LIMIT:
    server.handle_request()
"""


def _mock_transport() -> httpx.MockTransport:
    def handler(request: httpx.Request) -> httpx.Response:
        request.read()
        return httpx.Response(200, content=RESPONSE, headers={"Content-Type": "application/json"})

    return httpx.MockTransport(handler)


def _pair(http: httpx.Client, base_url: str) -> tuple[Callable[[], Any], Callable[[], Any]]:
    body = models.CreateOrderRequest.model_validate(REQUEST)
    client = musement.Client(token=TOKEN, base_url=base_url, http_client=http)

    def generated() -> Any:
        return client.create_order(body=body)

    headers = {
        "Authorization": f"Bearer {TOKEN}",
        "Content-Type": "application/json",
        "Accept": "application/json",
    }
    url = base_url.rstrip("/") + "/orders"

    def hand_written() -> Any:
        content = body.model_dump_json(by_alias=True, exclude_unset=True).encode()
        response = http.post(url, content=content, headers=headers)
        if response.status_code != 200:
            raise RuntimeError(response.status_code)
        return models.Order.model_validate_json(response.content)

    assert generated() == hand_written()
    return generated, hand_written


def _rounds(candidate: Callable[[], Any], baseline: Callable[[], Any], calls: int, rounds: int) -> dict[str, Any]:
    """Mean time per call of each side, per round; the sides alternate round by round."""
    for _ in range(max(calls // 10, 5)):  # warm up both
        candidate()
        baseline()
    ours: list[float] = []
    theirs: list[float] = []
    for index in range(rounds):
        order = (candidate, baseline) if index % 2 == 0 else (baseline, candidate)
        for function in order:
            started = time.perf_counter()
            for _ in range(calls):
                function()
            per_call = (time.perf_counter() - started) / calls
            (ours if function is candidate else theirs).append(per_call)
    ratios = sorted(a / b for a, b in zip(ours, theirs, strict=True))
    return {
        "calls_per_round": calls,
        "rounds": rounds,
        "generated_us": _stats([t * 1e6 for t in ours]),
        "baseline_us": _stats([t * 1e6 for t in theirs]),
        "ratio": statistics.median(ours) / statistics.median(theirs),
        "ratio_per_round": {
            "median": statistics.median(ratios),
            "min": ratios[0],
            "max": ratios[-1],
        },
    }


def _stats(values: list[float]) -> dict[str, float]:
    return {"median": statistics.median(values), "min": min(values), "max": max(values)}


def in_process(calls: int, rounds: int) -> dict[str, Any]:
    with httpx.Client(transport=_mock_transport()) as http:
        generated, hand_written = _pair(http, "https://api.example.test/api/v3")
        return _rounds(generated, hand_written, calls, rounds)


def loopback(calls: int, rounds: int) -> dict[str, Any]:
    warmup = max(calls // 10, 5) * 2 + 2
    limit = warmup + calls * rounds * 2 + 10
    server = subprocess.Popen(
        [sys.executable, "-c", SERVER, str(FIXTURES / "response-200.json"), str(limit)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        port = int(server.stdout.readline())
        with httpx.Client(timeout=30) as http:
            generated, hand_written = _pair(http, f"http://127.0.0.1:{port}/api/v3")
            return _rounds(generated, hand_written, calls, rounds)
    finally:
        server.kill()
        server.wait(timeout=10)


def _bare_order_model() -> type[BaseModel]:
    """``Order`` as bare pydantic would have it: the same fields, on ``BaseModel``."""
    source = (ROOT / "generated" / "musement" / "models.py").read_text(encoding="utf-8")
    source = source.replace("from ._model_base import", "from musement._model_base import")
    for base in ("RequestModel", "ResponseModel"):
        source = source.replace(f"({base})", "(BaseModel)")
    module = types.ModuleType("bench_bare_models")
    module.__dict__["BaseModel"] = BaseModel
    sys.modules[module.__name__] = module
    exec(compile(source, "bench_bare_models.py", "exec"), module.__dict__)  # our own file
    order: type[BaseModel] = module.Order
    assert order.model_config.get("extra") in (None, "ignore")
    return order


def parsing(calls: int, rounds: int) -> dict[str, Any]:
    response = httpx.Response(200, content=RESPONSE, headers={"Content-Type": "application/json"})
    reader = _http.json_response(models.Order)
    bare = _bare_order_model()

    def generated_reader() -> Any:
        return reader(response)

    def same_model() -> Any:
        return models.Order.model_validate_json(response.content)

    def bare_model() -> Any:
        return bare.model_validate_json(response.content)

    assert generated_reader() == same_model()
    return {
        "reader_vs_same_model": _rounds(generated_reader, same_model, calls, rounds),
        "generated_model_vs_bare_pydantic": _rounds(same_model, bare_model, calls, rounds),
    }


def main() -> None:
    scale = float(os.environ.get("BENCH_CLIENT_SCALE", "1"))
    calls, rounds = int(400 * scale) or 1, 10
    result = {
        "in_process": in_process(calls, rounds),
        "loopback": loopback(max(int(150 * scale), 1), rounds),
        "parsing": parsing(int(2000 * scale) or 1, rounds),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
