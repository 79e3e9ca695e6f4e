"""pywarp_gunicorn_tuning with a real gunicorn: the fast access line is gunicorn's own, byte for byte, and a
gthread worker spreads keep-alive connections without refusing any; pywarp_gunicorn's start-up gate, and
its arbiter when workers fail one after another.

Needs a venv with gunicorn: PYWARP_TEST_VENV=<venv> python3 -m unittest discover -s layers/launcher -p 'realtest_*.py'
"""
import http.client
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import unittest

from realtest_support import free_port, venv_json, venv_python

HERE = os.path.dirname(os.path.abspath(__file__))
THREADS = 2

APP = """
import time

def application(environ, start_response):
    if environ["PATH_INFO"] == "/slow":
        open("slow.started", "w").close()
        time.sleep(1)
    time.sleep(0.01)
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "2")])
    return [b"ok"]
"""

# Both access lines, gunicorn's and the fast one, for the same requests: printed as JSON pairs.
COMPARE = r"""
import datetime, io, json, logging, sys
sys.path.insert(0, sys.argv[1])
from gunicorn.config import Config
from gunicorn import glogging
import pywarp_gunicorn_tuning as tuning

class Resp:
    def __init__(self, status, sent):
        self.status, self.sent = status, sent
        self.headers = [("Content-Type", "text/plain")]

class Req:
    headers = [("HOST", "x")]

def logger():
    cfg = Config()
    cfg.set("accesslog", "-")
    log = glogging.Logger(cfg)
    out = io.StringIO()
    log.access_log.handlers[0].stream = out
    return log, out

base = {"REQUEST_METHOD": "GET", "RAW_URI": "/a?b=1", "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "10.0.0.1"}
cases = [
    (base, "200 OK", 28),
    (dict(base, HTTP_USER_AGENT='curl "quoted"', HTTP_REFERER="http://r/"), "404 Not Found", 0),
    (dict(base, HTTP_AUTHORIZATION="Basic dXNlcjpwdw=="), "302 Found", None),
    (dict(base, RAW_URI='/"x"', REMOTE_ADDR="::1"), 500, 3),
]
pairs = []
for environ, status, sent in cases:
    slow, out = logger()
    slow.access(Resp(status, sent), Req(), environ, datetime.timedelta(microseconds=5))
    fast = tuning.access_line(slow, Resp(status, sent), environ)
    pairs.append([out.getvalue(), fast])

# Which loggers take the fast path once it is installed: stdout with the default format only.
tuning.install_fast_access()
def fd(**settings):
    cfg = Config()
    for name, value in settings.items():
        cfg.set(name, value)
    return glogging.Logger(cfg).pywarp_access_fd
fds = [fd(accesslog="-"), fd(accesslog="-", access_log_format="%(h)s"), fd(accesslog=sys.argv[2]), fd()]
print(json.dumps({"pairs": pairs, "fds": fds}))
"""


class AccessLineTest(unittest.TestCase):
    def test_the_fast_line_is_gunicorns_default_line(self):
        result = self.compare()
        self.assertEqual(len(result["pairs"]), 4)
        for slow, fast in result["pairs"]:
            self.assertEqual(fast, slow)

    def test_only_the_default_line_to_stdout_takes_the_fast_path(self):
        self.assertEqual(self.compare()["fds"], [1, None, None, None])

    def compare(self):
        with tempfile.TemporaryDirectory() as d:
            return venv_json(self, COMPARE, HERE, os.path.join(d, "access.log"))


class KeepAliveTest(unittest.TestCase):
    """One worker with THREADS threads: it keeps alive the connections it accepted while it held no more than
    THREADS of them, idle or busy, and closes the rest after their first response, so their clients
    reconnect (to another worker, when there is one)."""

    def start(self, *extra):
        self.dir = work_dir(self, "pywarp-keepalive-")
        self.proc, self.port = start_gunicorn(self, self.dir, APP, 1, "--threads", str(THREADS), *extra)
        self.addCleanup(self.stop)
        for _ in range(300):  # bounded: 30 s
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.1)
        self.fail("gunicorn did not listen: " + self.stop())

    def stop(self):
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            return self.proc.communicate(timeout=20)[1].decode()
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            return self.proc.communicate()[1].decode()

    def connection_headers(self, clients):
        """One request on each of `clients` connections in turn, all kept open: each response's Connection header."""
        conns = [http.client.HTTPConnection("127.0.0.1", self.port, timeout=10) for _ in range(clients)]
        try:
            return [self.connection_header(conn) for conn in conns]
        finally:
            for conn in conns:
                conn.close()

    def test_connections_accepted_beyond_the_threads_are_closed_after_their_first_response(self):
        self.start()
        headers = self.connection_headers(THREADS + 3)
        self.assertEqual(headers[:THREADS], ["keep-alive"] * THREADS)
        self.assertEqual(headers[THREADS:], ["close"] * 3)

    def test_a_busy_connection_counts_as_one_held(self):
        self.start()
        slow = self.busy_connection()
        self.assertEqual(self.connection_headers(THREADS), ["keep-alive"] * (THREADS - 1) + ["close"])
        self.assertEqual(slow.getresponse().status, 200)

    def test_a_kept_connection_stays_kept_while_one_beyond_the_threads_is_busy(self):
        self.start()
        kept = [http.client.HTTPConnection("127.0.0.1", self.port, timeout=10) for _ in range(THREADS)]
        for conn in kept:
            self.addCleanup(conn.close)
        self.assertEqual([self.connection_header(conn) for conn in kept], ["keep-alive"] * THREADS)
        beyond = self.busy_connection()
        self.assertEqual(self.connection_header(kept[0]), "keep-alive")
        response = beyond.getresponse()
        self.assertEqual([response.status, response.getheader("Connection")], [200, "close"])

    def busy_connection(self):
        """A connection whose request is being served (for about 1 s) when this returns."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        self.addCleanup(conn.close)
        conn.request("GET", "/slow")
        started = os.path.join(self.dir, "slow.started")
        for _ in range(1000):  # bounded: 10 s
            if os.path.exists(started):
                return conn
            time.sleep(0.01)
        self.fail("the slow request did not start")

    def connection_header(self, conn):
        conn.request("GET", "/")
        response = conn.getresponse()
        self.assertEqual([response.status, response.read()], [200, b"ok"])
        return response.getheader("Connection")

    def test_a_worker_connections_setting_keeps_gunicorns_own_bound(self):
        self.start("--worker-connections", "50")
        self.assertEqual(self.connection_headers(THREADS + 3), ["keep-alive"] * (THREADS + 3))

    def test_many_keep_alive_clients_are_all_served(self):
        self.start()
        clients, requests = 8 * THREADS, 3
        served, errors = [], []

        def client():
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
            try:
                for _ in range(requests):
                    conn.request("GET", "/")
                    response = conn.getresponse()
                    served.append((response.status, response.read()))
                    if response.getheader("Connection") == "close":
                        conn.close()
            except OSError as e:
                errors.append(repr(e))
            finally:
                conn.close()

        threads = [threading.Thread(target=client) for _ in range(clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        self.assertEqual(errors, [])
        self.assertEqual(served, [(200, b"ok")] * (clients * requests))


# Writes when each worker starts and ends importing it; LOGGED_FORKS, when the arbiter has forked one.
LOGGED_APP = """
import os, time
def mark(what):
    with open(%(log)r, "a") as f:
        f.write("%%s %%d\\n" %% (what, os.getpid()))
mark("start")
time.sleep(0.3)
if %(fail)r:
    raise RuntimeError("the app fails to import")
mark("end")

def application(environ, start_response):
    start_response("200 OK", [("Content-Length", "2")])
    return [b"ok"]
"""


LOGGED_FORKS = """
import os
def post_fork(server, worker):
    with open(%(log)r, "a") as f:
        f.write("fork %%d\\n" %% os.getpid())
"""


class GateTest(unittest.TestCase):
    """The first worker imports the app alone, and the others fork once it has; or the start fails as
    without the gate."""

    def run_gunicorn(self, fail, workers=3):
        work = work_dir(self, "pywarp-gate-")
        log = os.path.join(work, "imports.log")
        with open(os.path.join(work, "forks.py"), "w") as f:
            f.write(LOGGED_FORKS % {"log": log})
        proc, _ = start_gunicorn(self, work, LOGGED_APP % {"log": log, "fail": fail}, workers, "-c", "forks.py")
        for _ in range(300):  # bounded: 30 s
            if proc.poll() is not None or _lines(log).count("end") == workers:
                break
            time.sleep(0.1)
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
        _, err = proc.communicate(timeout=30)
        return proc.returncode, _lines(log), err.decode()

    def test_the_others_fork_and_import_once_the_first_has(self):
        status, lines, err = self.run_gunicorn(fail=False)
        self.assertEqual(status, 0, err)
        self.assertEqual(lines[:3], ["fork", "start", "end"], err)
        self.assertEqual(sorted(lines), ["end"] * 3 + ["fork"] * 3 + ["start"] * 3, err)

    def test_a_worker_that_cannot_import_the_app_fails_the_start(self):
        status, lines, err = self.run_gunicorn(fail=True)
        self.assertEqual(status, 3, err)  # gunicorn's "Worker failed to boot"
        self.assertIn("RuntimeError: the app fails to import", err)


# Worker 1 loads the app; the others fail to, each in its turn: 3 once told to stop, and 2 once 3 waits
# for that (ready-3), or, with stop_first, once told to stop too.
FAILING_IN_TURN = """
import os, signal, time
rank = 1
while True:
    try:
        os.close(os.open("rank-%%d" %% rank, os.O_CREAT | os.O_EXCL))
        break
    except FileExistsError:
        rank += 1
stopped = []
told_to_stop = rank == 3 or (rank == 2 and %(stop_first)r)
if told_to_stop:
    signal.signal(signal.SIGTERM, lambda *_: stopped.append(True))
os.close(os.open("ready-%%d" %% rank, os.O_CREAT | os.O_WRONLY))
deadline = time.monotonic() + 20
while rank > 1 and not (stopped if told_to_stop else os.path.exists("ready-3")) and time.monotonic() < deadline:
    time.sleep(0.05)
if rank > 1:
    raise RuntimeError("worker %%d fails to import the app" %% rank)

def application(environ, start_response):
    start_response("200 OK", [("Content-Length", "2")])
    return [b"ok"]
"""


class FailingWorkersTest(unittest.TestCase):
    """gunicorn halts once, for the first of its workers that fail to boot, whenever the others fail."""

    def run_gunicorn(self, stop_first):
        work = work_dir(self, "pywarp-failing-")
        proc, _ = start_gunicorn(self, work, FAILING_IN_TURN % {"stop_first": stop_first}, 3, "--graceful-timeout", "120")
        if stop_first:
            for _ in range(300):  # bounded: 30 s
                if proc.poll() is not None or os.path.exists(os.path.join(work, "ready-3")):
                    break
                time.sleep(0.1)
            os.kill(proc.pid, signal.SIGTERM)
        _, err = proc.communicate(timeout=60)  # within the graceful timeout: no failed worker is waited for
        err = err.decode()
        self.assertIn("RuntimeError: worker 3 fails to import the app", err)
        self.assertNotIn("HaltServer", err)
        return proc.returncode, err.strip().splitlines()[-1].split("] ")[-1], err

    def test_a_worker_failing_while_the_arbiter_halts_for_another_leaves_the_first_reason(self):
        status, last, err = self.run_gunicorn(stop_first=False)
        self.assertEqual((status, last), (3, "Reason: Worker failed to boot."), err)

    def test_workers_failing_while_the_arbiter_stops_leave_its_stop_as_it_was(self):
        status, last, err = self.run_gunicorn(stop_first=True)
        self.assertIn("RuntimeError: worker 2 fails to import the app", err)
        self.assertEqual((status, last), (0, "Shutting down: Master"), err)


def work_dir(test, prefix):
    """A new directory, removed at the test's end."""
    work = tempfile.mkdtemp(prefix=prefix)
    test.addCleanup(shutil.rmtree, work, True)
    return work


def start_gunicorn(test, work, app, workers, *args):
    """pywarp_gunicorn.py serving `app` (written to work/app.py) on a free port of 127.0.0.1, in a session of
    its own, killed at the test's end if it still runs: (process, port)."""
    with open(os.path.join(work, "app.py"), "w") as f:
        f.write(app)
    port = free_port()
    argv = [venv_python(), os.path.join(HERE, "pywarp_gunicorn.py"), "--bind", "127.0.0.1:%d" % port,
            "--workers", str(workers), "--access-logfile", "/dev/null", *args, "app:application"]
    proc = subprocess.Popen(argv, cwd=work, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    test.addCleanup(lambda: proc.poll() is not None or os.killpg(proc.pid, signal.SIGKILL))
    return proc, port


def _lines(path):
    try:
        with open(path) as f:
            return [line.split()[0] for line in f]
    except OSError:
        return []


if __name__ == "__main__":
    unittest.main()
