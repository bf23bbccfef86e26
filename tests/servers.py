"""Servers the contract and fault tests talk to, and the pytest fixtures that run them.

``PrismServer`` runs ``node_modules/.bin/prism mock`` on a free loopback port, in its own
process group, waits until it answers (polling, with a deadline) and always stops the
whole group. ``FaultServer`` is a tiny HTTP/1.1 server on a thread, bound to
127.0.0.1:0, that answers each request with a scripted ``Reply``: any status, headers and
body, a delay, a body cut short, or a connection reset in the middle of the body.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import struct
import subprocess
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from api_cases import APIS
from repo_paths import ROOT, SPECS

# SPECFORGE_PRISM points the tests at another Prism executable (the tests use it to check
# that a missing Prism fails loudly).
PRISM = Path(os.environ.get("SPECFORGE_PRISM") or ROOT / "node_modules" / ".bin" / "prism")
PRISM_READY_SECONDS = 60.0
PRISM_STOP_SECONDS = 10.0
NPM_CI_HINT = (
    "Prism is not installed: {path} is missing. Run `npm ci` in the repository root "
    "(`make test` and `make contract` do it for you), then run the tests again."
)


class PrismMissing(RuntimeError):
    pass


class PrismFailed(RuntimeError):
    pass


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# --- Prism --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Violation:
    """One thing Prism found wrong, with the side it is on: ``request`` or ``response``."""

    side: str
    severity: str
    where: str
    message: str

    def __str__(self) -> str:
        return f"[{self.severity}] {self.where}: {self.message}"


def prism_violations(response: httpx.Response) -> list[Violation]:
    """What Prism reported about an exchange.

    Prism reports violations in an ``sl-violations`` header (request ones when the spec has
    a response it can use for them, and response ones when its own answer does not fit the
    spec) or, when it refuses a request outright, as an ``application/problem+json`` body
    whose type is one of its errors (404 for an unknown route, 406, 415, 422, ...).
    """
    found: list[Violation] = []

    def add(default_side: str, items: Any) -> None:
        for item in items or []:
            location = [str(p) for p in item.get("location", [])]
            side = default_side
            if location and location[0] in ("request", "response"):
                side, location = location[0], location[1:]
            severity, message = str(item.get("severity")), str(item.get("message"))
            found.append(Violation(side, severity, ".".join(location), message))

    raw = response.headers.get("sl-violations")
    if raw:
        try:
            add("request", json.loads(raw))
        except ValueError:
            found.append(Violation("request", "Error", "sl-violations", raw))
    if response.headers.get("content-type", "").startswith("application/problem+json"):
        try:
            problem = response.json()
        except ValueError:
            problem = {}
        if "stoplight.io/prism/errors" in str(problem.get("type", "")):
            found.append(
                Violation(
                    "request",
                    "Error",
                    f"{response.status_code} {problem.get('title')}",
                    str(problem.get("detail")),
                )
            )
            add("request", problem.get("validation"))
    return found


def prism_complaint(response: httpx.Response, side: str | None = None) -> str | None:
    """Prism's own words about an exchange (``None`` when it had nothing to say)."""
    found = [v for v in prism_violations(response) if side is None or v.side == side]
    return "\n".join(f"{v.side} {v}" for v in found) or None


class PrismServer:
    """``prism mock`` serving one spec; use as a context manager."""

    def __init__(
        self,
        spec: Path,
        *,
        log_path: Path,
        dynamic: bool = False,
        prism: Path = PRISM,
    ) -> None:
        self.spec, self.log_path, self.dynamic, self.prism = spec, log_path, dynamic, prism
        self.proc: subprocess.Popen[bytes] | None = None
        self.url = ""

    def __enter__(self) -> PrismServer:
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def command(self, port: int) -> list[str]:
        cmd = [str(self.prism), "mock", "-h", "127.0.0.1", "-p", str(port)]
        if self.dynamic:
            # No --seed: Prism reseeds for every request, so a seed would make every
            # response the same document.
            cmd += ["-d"]
        return [*cmd, str(self.spec)]

    def start(self) -> None:
        if not self.prism.exists():
            raise PrismMissing(NPM_CI_HINT.format(path=self.prism))
        for _ in range(3):  # another process may take the free port before Prism binds it
            port = free_port()
            with self.log_path.open("wb") as log:
                self.proc = subprocess.Popen(
                    self.command(port),
                    cwd=ROOT,
                    stdin=subprocess.DEVNULL,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,  # its own process group, stopped as a whole
                )
            self.url = f"http://127.0.0.1:{port}"
            if self._wait_ready():
                return
            self.stop()
        raise PrismFailed(f"Prism could not bind a free port three times\n{self.log_tail()}")

    def _wait_ready(self) -> bool:
        """True once Prism answers; False when its port was taken; raises on other failures."""
        assert self.proc is not None
        deadline = time.monotonic() + PRISM_READY_SECONDS
        with httpx.Client(timeout=2.0) as http:
            while True:
                if self.proc.poll() is not None:
                    if "EADDRINUSE" in self.log_tail():
                        return False
                    raise PrismFailed(
                        f"Prism exited with status {self.proc.returncode} while starting "
                        f"({' '.join(self.command(0))})\n{self.log_tail()}"
                    )
                try:
                    response = http.get(self.url + "/__specforge_ready__")
                except httpx.TransportError:
                    pass
                else:
                    # Prism answers an unknown route with its own problem+json 404; anything
                    # else means some other process owns the port.
                    if prism_complaint(response) is not None:
                        return True
                    return False
                if time.monotonic() > deadline:
                    raise PrismFailed(
                        f"Prism did not answer on {self.url} within {PRISM_READY_SECONDS:.0f} s" f"\n{self.log_tail()}"
                    )
                time.sleep(0.05)  # polling interval, not a wait for readiness

    def stop(self) -> None:
        proc, self.proc = self.proc, None
        if proc is None:
            return
        for sig, wait in ((signal.SIGTERM, PRISM_STOP_SECONDS), (signal.SIGKILL, None)):
            try:
                os.killpg(proc.pid, sig)
            except ProcessLookupError:
                break
            try:
                proc.wait(timeout=wait)
                break
            except subprocess.TimeoutExpired:
                continue
        proc.wait()
        # The group may outlive its leader (a child node process): kill what is left.
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass

    def log_tail(self, lines: int = 40) -> str:
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return "(no Prism log)"
        return "Prism log (last lines):\n" + "\n".join(text.splitlines()[-lines:])


def _prism_fixture(request: pytest.FixtureRequest, factory: Any, dynamic: bool) -> Iterator[Any]:
    api = APIS[request.param]
    mode = "dynamic" if dynamic else "static"
    log_path = factory.mktemp(f"prism-{api.name}-{mode}") / "prism.log"
    server = PrismServer(SPECS / f"{api.name}.yaml", log_path=log_path, dynamic=dynamic)
    try:
        server.__enter__()
    except PrismMissing as exc:
        pytest.fail(str(exc), pytrace=False)
    try:
        yield PrismApi(api, server)
    finally:
        server.stop()


@dataclass
class PrismApi:
    api: Any
    server: PrismServer

    @property
    def url(self) -> str:
        return self.server.url


@pytest.fixture(scope="module", params=sorted(APIS))
def prism_static(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[PrismApi]:
    """Prism serving one spec in static mode: it answers with the documented examples."""
    yield from _prism_fixture(request, tmp_path_factory, dynamic=False)


@pytest.fixture(scope="module", params=sorted(APIS))
def prism_dynamic(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[PrismApi]:
    """Prism serving one spec in dynamic mode: random responses that fit the schemas."""
    yield from _prism_fixture(request, tmp_path_factory, dynamic=True)


# --- Fault server -------------------------------------------------------------------------


@dataclass(frozen=True)
class Reply:
    """How the fault server answers one request."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before anything is sent
    stall_after: int | None = None  # send this many body bytes, then go silent (delay)
    reset_after: int | None = None  # send this many body bytes, then reset the connection
    content_length: int | None = None  # announce this length instead of len(body)
    reason: str = "Whatever"

    @staticmethod
    def json(status: int, payload: Any, **kwargs: Any) -> Reply:
        headers = {"Content-Type": "application/json", **kwargs.pop("headers", {})}
        data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        return Reply(status=status, body=data, headers=headers, **kwargs)


@dataclass(frozen=True)
class Seen:
    """A request the fault server received."""

    method: str
    path: str
    headers: dict[str, str]  # lower-case names
    body: bytes
    at: float  # time.monotonic() when it arrived


Script = Reply | Sequence[Reply] | Callable[[int, Seen], Reply]


class FaultServer:
    """Answers request n with ``script[n]`` (the last reply repeats), one request per connection."""

    def __init__(self, script: Script, port: int = 0) -> None:
        self._script = script
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self.requests: list[Seen] = []
        self._threads: list[threading.Thread] = []
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind(("127.0.0.1", port))
        self._sock.listen(16)
        self._sock.settimeout(0.5)
        self.port = int(self._sock.getsockname()[1])
        self.url = f"http://127.0.0.1:{self.port}"
        self._acceptor = threading.Thread(target=self._accept_loop, daemon=True)
        self._acceptor.start()

    def __enter__(self) -> FaultServer:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        self._stop.set()
        try:  # wake the acceptor up now rather than at its next poll
            socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
        except OSError:
            pass
        self._acceptor.join(timeout=5)
        self._sock.close()
        for thread in list(self._threads):
            thread.join(timeout=5)

    def _reply_for(self, index: int, seen: Seen) -> Reply:
        script = self._script
        if isinstance(script, Reply):
            return script
        if callable(script):
            return script(index, seen)
        return script[min(index, len(script) - 1)]

    def _accept_loop(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            if self._stop.is_set():
                conn.close()
                return
            thread = threading.Thread(target=self._serve, args=(conn,), daemon=True)
            self._threads.append(thread)
            thread.start()

    def _serve(self, conn: socket.socket) -> None:
        with conn:
            try:
                seen = self._read_request(conn)
                if seen is None:
                    return
                with self._lock:
                    index = len(self.requests)
                    self.requests.append(seen)
                self._send(conn, self._reply_for(index, seen))
            except OSError:
                pass  # the client went away (it timed out, or the test is over)

    def _read_request(self, conn: socket.socket) -> Seen | None:
        conn.settimeout(10)
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = conn.recv(65536)
            if not chunk:
                return None
            data += chunk
        head, _, body = data.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        method, path, _ = lines[0].split(" ", 2)
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        length = int(headers.get("content-length", "0"))
        while len(body) < length:
            chunk = conn.recv(65536)
            if not chunk:
                break
            body += chunk
        return Seen(method, path, headers, body, time.monotonic())

    def _send(self, conn: socket.socket, reply: Reply) -> None:
        if reply.delay and reply.stall_after is None and self._stop.wait(reply.delay):
            return
        length = len(reply.body) if reply.content_length is None else reply.content_length
        head = [f"HTTP/1.1 {reply.status} {reply.reason}"]
        head += [f"{k}: {v}" for k, v in reply.headers.items()]
        head += [f"Content-Length: {length}", "Connection: close", "", ""]
        conn.sendall("\r\n".join(head).encode("latin-1"))
        if reply.reset_after is not None:
            conn.sendall(reply.body[: reply.reset_after])
            time.sleep(0.05)  # let the partial body reach the client before the reset
            # SO_LINGER with a zero timeout turns close() into a TCP reset.
            conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            return
        if reply.stall_after is not None:
            conn.sendall(reply.body[: reply.stall_after])
            if self._stop.wait(reply.delay):
                return
            conn.sendall(reply.body[reply.stall_after :])
            return
        conn.sendall(reply.body)
        try:
            conn.shutdown(socket.SHUT_WR)
        except OSError:
            pass


@pytest.fixture
def fault_server() -> Iterator[Callable[..., FaultServer]]:
    """Starts fault servers for one test and always stops them: ``fault_server(script)``."""
    started: list[FaultServer] = []

    def start(script: Script, port: int = 0) -> FaultServer:
        server = FaultServer(script, port)
        started.append(server)
        return server

    yield start
    for server in started:
        server.close()
