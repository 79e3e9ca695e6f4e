"""pywarp_waitress' access log with a real waitress: one line per request, byte for byte, from the task
level (200, HEAD, a streamed body, the app's own 500, an exception before and after the response began,
a request waitress refuses, a trusted proxy's client address), and the same lines from the wrapper it
falls back to when waitress' task classes are not the ones it knows.

Needs a venv with waitress: PYWARP_TEST_VENV=<venv> python3 -m unittest discover -s layers/launcher -p 'realtest_*.py'
"""
import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import unittest

from realtest_support import free_port, venv_python

HERE = os.path.dirname(os.path.abspath(__file__))

APP = """
def application(environ, start_response):
    path = environ["PATH_INFO"]
    if path == "/fail":
        raise RuntimeError("before the response")
    if path == "/fail-late":
        start_response("200 OK", [("Content-Type", "text/plain")])
        return late()
    if path == "/stream":
        start_response("200 OK", [("Content-Type", "text/plain")])
        return (part.encode() for part in ("a", "bc", "def"))
    body = b"" if environ["REQUEST_METHOD"] == "HEAD" else b"hello"
    status = "500 Internal Server Error" if path == "/own-500" else "200 OK"
    start_response(status, [("Content-Type", "text/plain"), ("Content-Length", "5")])
    return [body]

def late():
    yield b"first"
    raise RuntimeError("after the response began")
"""

# pywarp_waitress as if waitress' task classes were unknown: the app is wrapped instead.
FALLBACK = """
import sys
sys.path.insert(0, sys.argv[1])
import pywarp_waitress
pywarp_waitress.task_logging_channel = lambda channel_class, write: None
sys.exit(pywarp_waitress.main(sys.argv[2:]))
"""

# task_logging_channel's verdict on channel classes unlike waitress 1.x-2.x's, and on the real one.
CHECK = """
import sys
sys.path.insert(0, sys.argv[1])
from waitress.channel import HTTPChannel
import pywarp_waitress as w
write = lambda line: None
print(w.task_logging_channel(type("NoTasks", (), {}), write),
      w.task_logging_channel(type("OddTask", (HTTPChannel,), {"task_class": object}), write),
      issubclass(w.task_logging_channel(HTTPChannel, write), HTTPChannel))
"""

TIME = r"\[\d\d/[A-Z][a-z]{2}/\d{4}:\d\d:\d\d:\d\d [+-]\d{4}\]"
PROXY = ["--trusted-proxy", "127.0.0.1", "--trusted-proxy-headers", "x-forwarded-for"]


class Waitress:
    """pywarp_waitress (or the FALLBACK runner) on 127.0.0.1, its stdout in a file."""

    def __init__(self, root, argv_prefix, extra=("--access-log",), threads=2):
        self.port = free_port()
        self.out_path = os.path.join(root, "stdout-%d" % self.port)
        argv = argv_prefix + ["--listen", "127.0.0.1:%d" % self.port, "--threads", str(threads), *extra, "app:application"]
        with open(self.out_path, "wb") as out, open(os.path.join(root, "stderr-%d" % self.port), "wb") as err:
            self.proc = subprocess.Popen(argv, cwd=root, stdout=out, stderr=err, env={"PATH": "/usr/bin:/bin"})
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and self.proc.poll() is None:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise AssertionError("waitress did not listen on %d" % self.port)

    def request(self, method, path, headers=None):
        """(status, body or an exception's name, the Content-Length it was sent with)."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=20)
        try:
            conn.request(method, path, headers=dict(headers or {}, Connection="close"))
            response = conn.getresponse()
            try:
                body = response.read().decode()
            except http.client.IncompleteRead:
                body = "IncompleteRead"
            return response.status, body, response.getheader("Content-Length")
        finally:
            conn.close()

    def raw(self, data):
        with socket.create_connection(("127.0.0.1", self.port), timeout=20) as sock:
            sock.sendall(data)
            answer = b"".join(iter(lambda: sock.recv(65536), b""))
        head = answer.partition(b"\r\n\r\n")[0].decode("latin-1")
        return int(head.split(" ", 2)[1]), re.search(r"(?im)^content-length: *(\d+)", head).group(1)

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(10)

    def lines(self):
        with open(self.out_path, "rb") as f:
            return [line for line in f.read().split(b"\n")[:-1] if not line.startswith(b"Serving on ")]


class AccessLogTest(unittest.TestCase):
    def setUp(self):
        self.root = tempfile.mkdtemp(prefix="pywarp-waitress-log-")
        self.addCleanup(shutil.rmtree, self.root, True)
        with open(os.path.join(self.root, "app.py"), "w") as f:
            f.write(APP)
        with open(os.path.join(self.root, "fallback.py"), "w") as f:
            f.write(FALLBACK)

    def start(self, fallback=False, extra=()):
        prefix = [venv_python()]
        prefix += [os.path.join(self.root, "fallback.py"), HERE] if fallback else [os.path.join(HERE, "pywarp_waitress.py")]
        server = Waitress(self.root, prefix, ("--access-log", *extra))
        self.addCleanup(server.stop)
        return server

    def assertLines(self, server, expected):
        """Byte for byte but the time, in any order: a line goes out once its response is done, and the
        client's next request may be served before the line of the one it just got."""
        server.stop()
        lines = server.lines()
        for line in lines:
            self.assertRegex(line, TIME.encode())
        got = sorted(re.sub(TIME.encode(), b"[T]", line) for line in lines)
        self.assertEqual(got, sorted((head + "[T]" + tail).encode() for head, tail in expected))

    def common_requests(self, server):
        """The requests both paths log alike, with the lines expected (time aside)."""
        self.assertEqual(server.request("GET", "/hello?x=1&y=%22"), (200, "hello", "5"))
        self.assertEqual(server.request("HEAD", "/hello"), (200, "", "5"))
        self.assertEqual(server.request("GET", "/stream"), (200, "abcdef", None))
        self.assertEqual(server.request("POST", "/own-500", {"X-Forwarded-For": "203.0.113.7"}), (500, "hello", "5"))
        self.assertEqual(server.request("GET", "/caf%C3%A9"), (200, "hello", "5"))
        return [
            ("127.0.0.1 - - ", ' "GET /hello?x=1&y=%22 HTTP/1.1" 200 5'),
            ("127.0.0.1 - - ", ' "HEAD /hello HTTP/1.1" 200 5'),
            ("127.0.0.1 - - ", ' "GET /stream HTTP/1.1" 200 -'),
            ("203.0.113.7 - - ", ' "POST /own-500 HTTP/1.1" 500 5'),
            # PATH_INFO is latin-1 decoded bytes, quoted as UTF-8: as the wrapper always logged it
            ("127.0.0.1 - - ", ' "GET /caf%C3%83%C2%A9 HTTP/1.1" 200 5'),
        ]

    def test_one_line_per_request_from_the_task_level(self):
        server = self.start(extra=PROXY)
        expected = self.common_requests(server)
        status, body, length = server.request("GET", "/fail", {"X-Forwarded-For": "203.0.113.8"})
        self.assertEqual(status, 500)
        expected.append(("203.0.113.8 - - ", ' "GET /fail HTTP/1.1" 500 %s' % length))
        self.assertEqual(server.request("GET", "/fail-late"), (200, "IncompleteRead", None))
        expected.append(("127.0.0.1 - - ", ' "GET /fail-late HTTP/1.1" 200 -'))
        status, length = server.raw(b"GET /bad?q HTTP/1.1\r\nHost: x\r\nContent-Length: x\r\n\r\n")
        self.assertEqual(status, 400)
        expected.append(("127.0.0.1 - - ", ' "GET /bad?q HTTP/1.1" 400 %s' % length))
        self.assertEqual(server.request("GET", "/hello"), (200, "hello", "5"))  # still serving
        expected.append(("127.0.0.1 - - ", ' "GET /hello HTTP/1.1" 200 5'))
        self.assertLines(server, expected)

    def test_lines_are_written_while_serving(self):
        server = self.start()
        self.assertEqual(server.request("GET", "/hello"), (200, "hello", "5"))
        deadline = time.monotonic() + 10  # the line goes out in the loop's turn that sends the response
        while not server.lines() and time.monotonic() < deadline:
            time.sleep(0.05)
        self.assertEqual(len(server.lines()), 1)

    def test_the_fallback_wrapper_writes_the_same_lines(self):
        server = self.start(fallback=True, extra=PROXY)
        self.assertLines(server, self.common_requests(server))

    def test_unknown_task_classes_are_left_to_the_wrapper(self):
        check = subprocess.run([venv_python(), "-I", "-c", CHECK, HERE], capture_output=True, text=True, timeout=60)
        self.assertEqual((check.returncode, check.stdout), (0, "None None True\n"), check.stderr)

    def test_without_the_option_no_line(self):
        server = Waitress(self.root, [venv_python(), os.path.join(HERE, "pywarp_waitress.py")], ("--no-access-log",))
        self.addCleanup(server.stop)
        self.assertEqual(server.request("GET", "/hello"), (200, "hello", "5"))
        server.stop()
        self.assertEqual(server.lines(), [])


if __name__ == "__main__":
    unittest.main()
