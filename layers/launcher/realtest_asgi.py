"""The launcher with real ASGI servers: a Starlette app, SIGTERM during a slow request and in a server's
first instant, lifespan, a websocket.

Needs a venv with uvicorn, gunicorn, hypercorn, daphne and starlette (wsproto or websockets for
uvicorn's websockets), made from the runtime CPython:
    PYWARP_TEST_VENV=<venv> PYWARP_TEST_PYTHON_HOME=<the CPython the venv was made from> \\
        python3 -m unittest discover -s layers/launcher -p 'realtest_*.py'
Named so that `test*.py` discovery leaves it out; without the variables every test fails.
"""
import base64
import json
import os
import re
import signal
import socket
import struct
import time
import unittest
import urllib.error

from realtest_servers import (
    GRACEFUL_TIMEOUT,
    HERE,
    Sandbox,
    Server,
    SlowRequest,
    _session_members,
    free_port,
    get,
    launcher_blocks_sigterm,
    wait_for_file,
    wait_until_serving,
)

FIXTURE = os.path.join(HERE, "testdata", "launch-real-asgi.json")
WORKERS = 2

# With PYWARP_TEST_IMPORTS set, the app's import takes 0.5 s and is written down where it starts and ends.
APP = """
import asyncio, contextlib, os, time
if os.environ.get("PYWARP_TEST_IMPORTS"):
    with open(os.environ["PYWARP_TEST_IMPORTS"], "a") as f:
        f.write("start %%d\\n" %% os.getpid())
    time.sleep(0.5)
    with open(os.environ["PYWARP_TEST_IMPORTS"], "a") as f:
        f.write("end %%d\\n" %% os.getpid())
from starlette.applications import Starlette
from starlette.responses import JSONResponse, PlainTextResponse
from starlette.routing import Route, WebSocketRoute

async def hello(request):
    return JSONResponse({"hello": "world"})

async def slow(request):
    with open(%(marker)r, "w") as f:
        f.write(str(os.getpid()))
    await asyncio.sleep(%(slow)d)
    return PlainTextResponse("done /slow")

async def echo(websocket):
    await websocket.accept()
    await websocket.send_text("echo " + await websocket.receive_text())
    await websocket.close()

@contextlib.asynccontextmanager
async def lifespan(app):
    with open(%(startups)r, "a") as f:
        f.write("%%d\\n" %% os.getpid())
    yield

app = Starlette(routes=[Route("/", hello), Route("/slow", slow), WebSocketRoute("/ws", echo)], lifespan=lifespan)
"""


# pywarp_uvicorn's Workers run as uvicorn's run calls its supervisor since 2026; the other workers run
# this file again.
TWO_WORKERS = """
import sys
sys.path.insert(0, %(launcher)r)
import pywarp_uvicorn
from uvicorn.config import Config

config = Config("asgi:app", host="127.0.0.1", port=%(port)d, workers=%(workers)d)
pywarp_uvicorn.Workers(config, sockets=[config.bind_socket()]).run()
"""


class AsgiSandbox(Sandbox):
    """The WSGI sandbox with a Starlette app in asgi.py and launch-real-asgi.json."""

    def __init__(self):
        self.startups = None
        super().__init__()

    def _write_app(self):
        self.startups = os.path.join(os.path.dirname(self.marker), "startups")
        text = APP % {"marker": self.marker, "slow": 2, "startups": self.startups}
        self.write(os.path.join(self.app, "asgi.py"), text)

    def _write_launcher(self):
        super()._write_launcher()
        with open(FIXTURE) as f:
            text = f.read()
        for placeholder, path in (("/APP", self.app), ("/LAUNCHER", self.launcher), ("/VENV", self.venv)):
            text = text.replace(placeholder, path)
        json.loads(text)
        self.write(os.path.join(self.launcher, "launch.json"), text)

    def startup_pids(self):
        if not os.path.exists(self.startups):
            return []
        with open(self.startups) as f:
            return f.read().split()


def websocket_echo(port, text):
    """One text message over a websocket (RFC 6455), with the standard library only."""
    key = base64.b64encode(os.urandom(16)).decode()
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(("GET /ws HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                      "Sec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n\r\n" % (port, key)).encode())
        reader = sock.makefile("rb")
        status = reader.readline()
        if b" 101 " not in status:
            raise AssertionError("no websocket upgrade: %r" % status)
        while reader.readline() not in (b"\r\n", b""):
            pass
        payload, mask = text.encode(), os.urandom(4)
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        sock.sendall(struct.pack("!BB", 0x81, 0x80 | len(payload)) + mask + masked)  # a short text frame
        opcode, length = reader.read(2)
        if length & 0x7F == 126:
            (length,) = struct.unpack("!H", reader.read(2))
        return opcode & 0x0F, reader.read(length & 0x7F if length < 126 else length).decode()


class AsgiServerTest(unittest.TestCase):
    def setUp(self):
        self.sandbox = AsgiSandbox()
        self.addCleanup(self.sandbox.remove)

    def launch(self, argv, port, **env):
        """argv (a process type's name: the launcher's command for it) with the sandbox's env for port and
        `env`; stopped after the test."""
        command = self.sandbox.command(argv) if isinstance(argv, str) else argv
        server = Server(self.sandbox, command, self.sandbox.env(port, **env))
        self.addCleanup(server.stop_everything)
        return server

    def start(self, name, port):
        server = self.launch(name, port, WEB_CONCURRENCY=str(WORKERS))
        self.assertEqual(wait_until_serving(port, server), (200, '{"hello":"world"}'))
        return server

    def reset(self):
        for path in (self.sandbox.marker, self.sandbox.startups):
            if os.path.exists(path):
                os.remove(path)

    def test_sigterm_during_a_slow_request_finishes_it_and_exits_0(self):
        for name in ("uvicorn", "gunicorn", "hypercorn", "daphne"):
            with self.subTest(name):
                self.reset()
                port = free_port()
                server = self.start(name, port)
                slow = SlowRequest(port)
                slow.start()
                self.assertTrue(wait_for_file(self.sandbox.marker), "the slow request never started:\n" + server.log())
                stopped_at = time.monotonic()
                os.kill(server.proc.pid, signal.SIGTERM)
                status = server.wait(GRACEFUL_TIMEOUT + 5)
                slow.join(10)
                self.assertEqual(slow.result, (200, "done /slow"), server.log())
                self.assertEqual(status, 0, server.log())
                self.assertLess(time.monotonic() - stopped_at, GRACEFUL_TIMEOUT + 2)
                # the workers that the first one started leave with it, as do gunicorn's and hypercorn's
                self.assertEqual(session_after_exit(server.proc.pid), [], "processes left behind")

    def test_sigterm_in_the_first_instant(self):
        """From the launcher's first line, while the server starts, and once it serves: status 0, nothing left
        (uvicorn in one process too: it runs without the wrapper's Workers)."""
        for name, workers in (("uvicorn", 1), ("uvicorn", WORKERS), ("gunicorn", WORKERS), ("hypercorn", WORKERS), ("daphne", WORKERS)):
            for moment in ("launcher", 0.3, "serving"):
                with self.subTest(name, workers=workers, moment=moment):
                    port = free_port()
                    server = self.launch(name, port, WEB_CONCURRENCY=str(workers))
                    if moment == "launcher":
                        launcher_blocks_sigterm(server.proc.pid)
                    elif moment == "serving":
                        wait_until_serving(port, server)
                    else:
                        time.sleep(moment)
                    os.kill(server.proc.pid, signal.SIGTERM)
                    self.assertEqual(server.wait(GRACEFUL_TIMEOUT + 5), 0, server.log())
                    self.assertNotIn("killing it", server.log())
                    self.assertEqual(_session_members(server.proc.pid), [], "processes left behind:\n" + server.log())

    def test_lifespan_startup_runs_once_per_worker(self):
        for name in ("uvicorn", "gunicorn", "hypercorn"):
            with self.subTest(name):
                self.reset()
                port = free_port()
                server = self.start(name, port)
                deadline = time.monotonic() + 20
                while len(self.sandbox.startup_pids()) < WORKERS and time.monotonic() < deadline:
                    time.sleep(0.1)
                pids = self.sandbox.startup_pids()
                self.assertEqual(len(pids), WORKERS, server.log())
                self.assertEqual(len(set(pids)), WORKERS, pids)

    def test_uvicorn_starts_its_other_workers_once_the_first_has_the_app(self):
        """The first worker imports the app alone; the others start after it has (pywarp_uvicorn)."""
        imports = os.path.join(self.sandbox.root, "imports")
        port = free_port()
        server = self.launch("uvicorn", port, WEB_CONCURRENCY=str(WORKERS), PYWARP_TEST_IMPORTS=imports)
        wait_until_serving(port, server)
        deadline = time.monotonic() + 20
        while self.imports(imports).count("end") < WORKERS and time.monotonic() < deadline:
            time.sleep(0.1)
        self.assertEqual(self.imports(imports), ["start", "end"] * WORKERS, server.log())

    def test_a_uvicorn_worker_that_dies_stops_the_server_with_status_3(self):
        port = free_port()
        server = self.start("uvicorn", port)
        (first,) = children(server.proc.pid)
        (other,) = wait_for_children(first, 1)
        os.kill(other, signal.SIGKILL)
        self.assertEqual(server.wait(GRACEFUL_TIMEOUT + 5), 3, server.log())
        self.assertIn("pywarp: a uvicorn worker (pid %d) exited with status -9; stopping the server" % other, server.log())
        self.assertEqual(session_after_exit(server.proc.pid), [], "processes left behind")

    def test_uvicorn_workers_stop_when_the_first_is_killed(self):
        """Without the launcher: the first worker's death reaches the others as a SIGTERM."""
        port = free_port()
        server = self.launch(self.uvicorn_argv(port), port)
        wait_until_serving(port, server)
        (other,) = wait_for_children(server.proc.pid, 1)
        os.kill(server.proc.pid, signal.SIGKILL)
        self.assertEqual(session_after_exit(server.proc.pid), [], server.log())

    def test_uvicorn_passes_a_stop_on_to_its_other_workers(self):
        """The other worker stops at once, not after the first has finished its own requests."""
        port = free_port()
        server = self.launch(self.uvicorn_argv(port), port)
        wait_until_serving(port, server)
        first = server.proc.pid
        (other,) = wait_for_children(first, 1)
        os.kill(other, signal.SIGSTOP)  # so that the first takes the slow request
        slow = SlowRequest(port)
        slow.start()
        self.assertTrue(wait_for_file(self.sandbox.marker), "the slow request never started:\n" + server.log())
        with open(self.sandbox.marker) as f:
            self.assertEqual(int(f.read()), first)
        os.kill(other, signal.SIGCONT)
        os.kill(first, signal.SIGTERM)
        deadline = time.monotonic() + GRACEFUL_TIMEOUT
        while other in _session_members(first) and slow.result is None and time.monotonic() < deadline:
            time.sleep(0.02)
        self.assertNotIn(other, _session_members(first), "the other worker outlived the slow request:\n" + server.log())
        self.assertIsNone(slow.result)
        slow.join(10)
        self.assertEqual((slow.result, server.wait(GRACEFUL_TIMEOUT + 5)), ((200, "done /slow"), 0), server.log())

    def test_uvicorn_workers_called_without_a_target(self):
        """uvicorn's supervisor as called since 2026, Multiprocess(config, sockets=[sock]): serves, stops with 0."""
        port = free_port()
        script = os.path.join(self.sandbox.app, "two_workers.py")
        self.sandbox.write(script, TWO_WORKERS % {"launcher": self.sandbox.launcher, "port": port, "workers": WORKERS})
        server = self.launch([os.path.join(self.sandbox.venv, "bin", "python"), script], port)
        self.assertEqual(wait_until_serving(port, server), (200, '{"hello":"world"}'))
        wait_for_children(server.proc.pid, 1)
        os.kill(server.proc.pid, signal.SIGTERM)
        self.assertEqual(server.wait(GRACEFUL_TIMEOUT + 5), 0, server.log())
        self.assertEqual(session_after_exit(server.proc.pid), [], server.log())

    def uvicorn_argv(self, port):
        """pywarp_uvicorn with WORKERS workers, without the launcher."""
        return [os.path.join(self.sandbox.venv, "bin", "python"), os.path.join(self.sandbox.launcher, "pywarp_uvicorn.py"),
                "--host", "127.0.0.1", "--port", str(port), "--workers", str(WORKERS), "asgi:app"]

    @staticmethod
    def imports(path):
        if not os.path.exists(path):
            return []
        with open(path) as f:
            return [line.split()[0] for line in f]

    def test_uvicorn_writes_its_default_access_line(self):
        """The line pywarp_uvicorn_access writes, in the order of the responses."""
        port = free_port()
        server = self.start("uvicorn", port)
        with self.assertRaises(urllib.error.HTTPError):
            get(port, "/missing?a=1")
        lines = [line for line in server.log().splitlines() if line.startswith("INFO:") and " - \"" in line]
        self.assertEqual([re.sub(r":\d+ - ", ":PORT - ", line) for line in lines[-2:]], [
            'INFO:     127.0.0.1:PORT - "GET / HTTP/1.1" 200 OK',
            'INFO:     127.0.0.1:PORT - "GET /missing?a=1 HTTP/1.1" 404 Not Found',
        ])

    def test_websocket_echo(self):
        for name in ("uvicorn", "gunicorn", "hypercorn", "daphne"):
            with self.subTest(name):
                port = free_port()
                self.start(name, port)
                self.assertEqual(websocket_echo(port, "ping"), (0x1, "echo ping"))

    def test_a_taken_port_fails_the_start(self):
        """Each server exits non-zero when its port is taken (daphne before 4.2 exited 0)."""
        for name in ("uvicorn", "gunicorn", "hypercorn", "daphne"):
            with self.subTest(name), socket.socket() as taken:
                taken.bind(("127.0.0.1", 0))
                taken.listen()
                port = taken.getsockname()[1]
                server = self.launch(name, port, WEB_CONCURRENCY=str(WORKERS))
                self.assertNotIn(server.wait(30), (None, 0), server.log())
                self.assertRegex(server.log().strip().splitlines()[-1], r"^pywarp: %s exited with status [1-9]" % name)

    def test_daphne_runs_no_lifespan(self):
        """Daphne 4 has no lifespan events (documented); it serves the app all the same."""
        port = free_port()
        self.start("daphne", port)
        self.assertEqual(get(port, "/"), (200, '{"hello":"world"}'))
        self.assertEqual(self.sandbox.startup_pids(), [])


# A lifespan startup that fails: reported by Starlette (lifespan.startup.failed), or raised by an app
# after it took the startup event, which uvicorn's `auto` alone would take for "unsupported".
FAILING_STARTUP = {
    "starlette": """
import contextlib
from starlette.applications import Starlette

@contextlib.asynccontextmanager
async def lifespan(app):
    raise RuntimeError("database unreachable")
    yield

app = Starlette(lifespan=lifespan)
""",
    "raw": """
async def app(scope, receive, send):
    if scope["type"] == "lifespan":
        await receive()
        raise RuntimeError("database unreachable")
""",
}

# Django's ASGIHandler refuses every scope but http, lifespan included, before taking any event.
REFUSES_LIFESPAN = """
async def app(scope, receive, send):
    if scope["type"] != "http":
        raise ValueError("Django can only handle ASGI/HTTP connections, not %s." % scope["type"])
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"application/json")]})
    await send({"type": "http.response.body", "body": b'{"hello":"world"}'})
"""


class LifespanTest(unittest.TestCase):
    def setUp(self):
        self.sandbox = AsgiSandbox()
        self.addCleanup(self.sandbox.remove)

    def run_app(self, name, text):
        self.sandbox.write(os.path.join(self.sandbox.app, "asgi.py"), text)
        env = self.sandbox.env(free_port(), WEB_CONCURRENCY=str(WORKERS))
        server = Server(self.sandbox, self.sandbox.command(name), env)
        self.addCleanup(server.stop_everything)
        return server, int(env["PORT"])

    def test_a_failing_startup_fails_the_start_and_names_the_cause(self):
        cases = [("uvicorn", "starlette"), ("uvicorn", "raw"), ("gunicorn", "starlette"), ("gunicorn", "raw"),
                 ("hypercorn", "starlette")]
        for name, app in cases:
            with self.subTest(name, app=app):
                server, _ = self.run_app(name, FAILING_STARTUP[app])
                status = server.wait(30)
                log = server.log()
                self.assertNotIn(status, (None, 0), log)
                last = log.strip().splitlines()[-1]
                self.assertRegex(last, r"^pywarp: %s exited with status \d+: .*database unreachable" % name, log)
                self.assertEqual(session_after_exit(server.proc.pid), [], "processes left behind")

    def test_an_app_that_refuses_lifespan_is_served(self):
        for name in ("uvicorn", "gunicorn", "hypercorn", "daphne"):
            with self.subTest(name):
                server, port = self.run_app(name, REFUSES_LIFESPAN)
                self.assertEqual(wait_until_serving(port, server), (200, '{"hello":"world"}'))
                os.kill(server.proc.pid, signal.SIGTERM)
                self.assertEqual(server.wait(GRACEFUL_TIMEOUT + 5), 0, server.log())


def children(pid):
    with open("/proc/%d/task/%d/children" % (pid, pid)) as f:
        return [int(c) for c in f.read().split()]


def wait_for_children(pid, count, seconds=20):
    """The process's children once it has `count` of them, within `seconds` (a bounded poll)."""
    deadline = time.monotonic() + seconds
    while len(children(pid)) < count and time.monotonic() < deadline:
        time.sleep(0.05)
    return children(pid)


def session_after_exit(sid, seconds=10):
    """The session's processes once they stop leaving, within `seconds` (a bounded poll)."""
    deadline = time.monotonic() + seconds
    members = _session_members(sid)
    while members and time.monotonic() < deadline:
        time.sleep(0.1)
        members = _session_members(sid)
    return members

if __name__ == "__main__":
    unittest.main()
