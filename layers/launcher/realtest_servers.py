"""The launcher with real servers: SIGTERM during slow requests, below capacity and under overload, and
in a server's first instant; other signals; static files; PID 1, zombies and an app ignoring SIGTERM;
IPv6 binds, and a web that dies or listens where it should not saying why.

Needs a venv with gunicorn, waitress, uWSGI, mod_wsgi and whitenoise, Apache httpd (apache2-bin),
and `unshare` with the right to make PID namespaces (root, or unprivileged user namespaces):
    PYWARP_TEST_VENV=<venv> PYWARP_TEST_PYTHON_HOME=<the CPython the venv was made from> \\
        python3 -m unittest discover -s layers/launcher -p 'realtest_*.py'
Named so that `test*.py` discovery leaves it out; without the variables every test fails.
"""
import json
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import unittest
import urllib.request

from realtest_support import free_port

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURE = os.path.join(HERE, "testdata", "launch-real.json")
SLOW_SECONDS = 2
STARTUP_SECONDS = 10  # pywarp_watch's start-up window
BUSY_SECONDS = 1
GRACEFUL_TIMEOUT = 8
SERVERS = ("gunicorn", "uwsgi", "waitress", "mod_wsgi")
# WEB_CONCURRENCY=2: 2 processes x 8 threads (waitress: 16 threads) serve 16 requests at once.
CAPACITY = 16

APP = """
import gc, os, time

def application(environ, start_response):
    if environ["PATH_INFO"] == "/slow":
        open(%(marker)r, "w").close()
        time.sleep(%(slow)d)
    if environ["PATH_INFO"] == "/busy":
        open(os.path.join(%(busy)r, "%%d-%%d" %% (os.getpid(), time.monotonic_ns())), "w").close()
        time.sleep(%(busy_seconds)d)
    body = ("done " + environ["PATH_INFO"]).encode()
    if environ["PATH_INFO"] == "/frozen":
        body = str(gc.get_freeze_count()).encode()
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
    return [body]
"""

# Orphans three grandchildren that exit at once, then reports the zombies in its PID namespace.
ORPHANS = """
import os, time
for _ in range(3):
    child = os.fork()
    if child == 0:
        if os.fork() == 0:
            os._exit(0)
        os._exit(0)
    os.waitpid(child, 0)
time.sleep(0.5)
zombies = 0
for pid in filter(str.isdigit, os.listdir("/proc")):
    try:
        zombies += open("/proc/%s/stat" % pid).read().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        pass
print("pid=%d zombies=%d" % (os.getpid(), zombies), flush=True)
"""

STUBBORN = """
import signal, time
signal.signal(signal.SIGTERM, signal.SIG_IGN)
print("ignoring SIGTERM", flush=True)
time.sleep(60)
"""


def required(name):
    value = os.environ.get(name)
    if not value:
        raise AssertionError("%s is not set; see this file's docstring for how to run these tests" % name)
    return value


class Sandbox:
    """An app dir and a launcher dir with launch.json for the venv under test."""

    def __init__(self):
        self.venv = required("PYWARP_TEST_VENV")
        self.python_home = required("PYWARP_TEST_PYTHON_HOME")
        self.root = tempfile.mkdtemp(prefix="pywarp-real-")
        os.chmod(self.root, 0o755)  # Apache's workers run as nobody when the tests run as root
        self.app = os.path.join(self.root, "app")
        self.launcher = os.path.join(self.root, "launcher")
        markers = os.path.join(self.root, "markers")
        self.marker = os.path.join(markers, "slow-started")
        self.busy = os.path.join(markers, "busy")
        os.makedirs(self.busy)
        for d in (markers, self.busy):
            os.chmod(d, 0o1777)  # written by the app, which runs as nobody under Apache as root
        os.makedirs(os.path.join(self.app, "staticfiles"))
        os.makedirs(self.launcher)
        self._write_app()
        self._write_launcher()

    def _write_app(self):
        values = {"marker": self.marker, "slow": SLOW_SECONDS, "busy": self.busy, "busy_seconds": BUSY_SECONDS}
        self.write(os.path.join(self.app, "wsgi.py"), APP % values)
        self.write(os.path.join(self.app, "orphans.py"), ORPHANS)
        self.write(os.path.join(self.app, "stubborn.py"), STUBBORN)
        self.write(os.path.join(self.app, "staticfiles", "hello.txt"), "hello")

    def _write_launcher(self):
        for name in os.listdir(HERE):
            if name.startswith("pywarp_") and name.endswith(".py"):
                shutil.copy(os.path.join(HERE, name), self.launcher)
        with open(FIXTURE) as f:
            text = f.read()
        for placeholder, path in (("/APP", self.app), ("/LAUNCHER", self.launcher), ("/VENV", self.venv)):
            text = text.replace(placeholder, path)
        json.loads(text)  # still valid after the paths went in
        self.write(os.path.join(self.launcher, "launch.json"), text)

    def web_program(self, script, text):
        """Makes `web` run `python <script>` (written into the app), as a build does for app.py."""
        self.write(os.path.join(self.app, script), text)
        path = os.path.join(self.launcher, "launch.json")
        with open(path) as f:
            data = json.load(f)
        data["processes"]["web"] = {"kind": "program", "argv": [os.path.join(self.venv, "bin", "python"), script], "init": True}
        self.write(path, json.dumps(data))

    def write(self, path, text):
        with open(path, "w") as f:
            f.write(text)
        os.chmod(path, 0o644)

    def command(self, process_type):
        python = os.path.join(self.python_home, "bin", "python3")
        return [python, "-I", os.path.join(self.launcher, "pywarp_launch.py"), process_type]

    def env(self, port, **extra):
        env = {
            "PATH": os.pathsep.join([os.path.join(self.venv, "bin"), "/usr/sbin", "/usr/bin", "/sbin", "/bin"]),
            "HOME": self.root,
            "LD_LIBRARY_PATH": os.path.join(self.python_home, "lib"),  # libpython for uWSGI and mod_wsgi
            "PYWARP_HOST": "127.0.0.1",
            "PORT": str(port),
        }
        env.update(extra)
        return env

    def remove(self):
        shutil.rmtree(self.root, ignore_errors=True)


class Server:
    """A launcher process in its own session, so that everything it starts can be found and stopped."""

    def __init__(self, sandbox, argv, env):
        self.log_path = os.path.join(sandbox.root, "server.log")
        log = open(self.log_path, "ab")  # append: Apache reopens /dev/stdout for its access log
        self.proc = subprocess.Popen(argv, cwd=sandbox.app, env=env, stdout=log, stderr=log, start_new_session=True)
        log.close()

    def log(self):
        with open(self.log_path, errors="replace") as f:
            return f.read()

    def wait(self, timeout):
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            return None

    def stop_everything(self):
        """Kills, by PID, whatever is left in the launcher's session (Apache has its own process group)."""
        for pid in _session_members(self.proc.pid):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.wait(10)


def launched(test, name, **env):
    """(server, port): process type `name` started by the launcher in a sandbox of its own, on a free
    port, with `env`; removed and stopped after `test`."""
    sandbox = Sandbox()
    test.addCleanup(sandbox.remove)
    port = free_port()
    server = Server(sandbox, sandbox.command(name), sandbox.env(port, **env))
    test.addCleanup(server.stop_everything)
    return server, port


def _session_members(sid):
    """The live processes of the session: not the zombies an init has yet to reap."""
    members = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open("/proc/%s/stat" % pid) as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) == sid and fields[0] != "Z":  # fields after the name: state, ppid, pgrp, session
            members.append(int(pid))
    return members


def get(port, path, timeout=20, host="127.0.0.1"):
    with urllib.request.urlopen("http://%s:%d%s" % (host, port, path), timeout=timeout) as response:
        return response.status, response.read().decode()


def wait_until_serving(port, server, seconds=30, host="127.0.0.1"):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.proc.poll() is not None:
            raise AssertionError("the server exited with %s:\n%s" % (server.proc.returncode, server.log()))
        try:
            return get(port, "/", timeout=2, host=host)
        except OSError:
            time.sleep(0.2)
    raise AssertionError("no answer on port %d within %ds:\n%s" % (port, seconds, server.log()))


def wait_for_file(path, seconds=10):
    deadline = time.monotonic() + seconds
    while not os.path.exists(path) and time.monotonic() < deadline:
        time.sleep(0.05)
    return os.path.exists(path)


def wait_for_files(directory, count, seconds=20):
    deadline = time.monotonic() + seconds
    while len(os.listdir(directory)) < count and time.monotonic() < deadline:
        time.sleep(0.05)
    return len(os.listdir(directory)) >= count


class SentRequest(threading.Thread):
    """An HTTP/1.0 request written at once (connected, its bytes sent); the answer is read in a thread."""

    def __init__(self, port, path):
        super().__init__(daemon=True)
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=20)
        self.sock.sendall(("GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n" % path).encode())
        self.result = None
        self.start()

    def run(self):
        try:
            with self.sock:
                answer = b"".join(iter(lambda: self.sock.recv(65536), b""))
            head, _, body = answer.partition(b"\r\n\r\n")
            self.result = (int(head.split(b" ", 2)[1]), body.decode()) if head else "no answer"
        except (OSError, ValueError, IndexError) as e:
            self.result = e


class SlowRequest(threading.Thread):
    def __init__(self, port, path="/slow"):
        super().__init__(daemon=True)
        self.port, self.path, self.result = port, path, None

    def run(self):
        try:
            self.result = get(self.port, self.path)
        except OSError as e:
            self.result = e


class GracefulStopTest(unittest.TestCase):
    def setUp(self):
        self.sandbox = Sandbox()
        self.addCleanup(self.sandbox.remove)

    def start(self, argv, port):
        server = Server(self.sandbox, argv, self.sandbox.env(port))
        self.addCleanup(server.stop_everything)
        self.assertEqual(wait_until_serving(port, server), (200, "done /"))
        return server

    def check_sigterm_mid_request(self, server, port, signal_pid):
        slow = SlowRequest(port)
        slow.start()
        self.assertTrue(wait_for_file(self.sandbox.marker), "the slow request never started:\n" + server.log())
        stopped_at = time.monotonic()
        os.kill(signal_pid, signal.SIGTERM)
        status = server.wait(GRACEFUL_TIMEOUT + 5)
        slow.join(10)
        self.assertEqual(slow.result, (200, "done /slow"), server.log())
        self.assertEqual(status, 0, server.log())
        self.assertLess(time.monotonic() - stopped_at, GRACEFUL_TIMEOUT + 2)
        self.assertEqual(_session_members(server.proc.pid), [], "processes left behind")

    def test_each_server_finishes_the_request_and_exits_0(self):
        for name in ("gunicorn", "uwsgi", "waitress", "mod_wsgi"):
            with self.subTest(name):
                if os.path.exists(self.sandbox.marker):
                    os.remove(self.sandbox.marker)
                port = free_port()
                server = self.start(self.sandbox.command(name), port)
                self.assertEqual(get(port, "/static/hello.txt"), (200, "hello"))
                self.check_sigterm_mid_request(server, port, server.proc.pid)

    def test_waitress_as_pid_1(self):
        """The container case: the launcher is PID 1, stays as init, and forwards SIGTERM to waitress."""
        port = free_port()
        server = self.start(unshare(self.sandbox.command("waitress")), port)
        self.check_sigterm_mid_request(server, port, pid_1_of(server.proc.pid))


class BindTest(unittest.TestCase):
    """PYWARP_HOST=::1 reaches every server in the form it takes, or is refused in one line."""

    def setUp(self):
        self.sandbox = Sandbox()
        self.addCleanup(self.sandbox.remove)

    def test_ipv6_loopback_on_gunicorn_uwsgi_and_waitress(self):
        for name in ("gunicorn", "uwsgi", "waitress"):
            for host in ("::1", "[::1]"):
                with self.subTest(server=name, host=host):
                    port = free_port(socket.AF_INET6, "::1")
                    server = Server(self.sandbox, self.sandbox.command(name), self.sandbox.env(port, PYWARP_HOST=host))
                    self.addCleanup(server.stop_everything)
                    self.assertEqual(wait_until_serving(port, server, host="[::1]"), (200, "done /"))
                    os.kill(server.proc.pid, signal.SIGTERM)
                    self.assertEqual(server.wait(GRACEFUL_TIMEOUT + 5), 0, server.log())

    def test_mod_wsgi_refuses_ipv6_loopback_in_one_line(self):
        done = run_launcher(self.sandbox, "mod_wsgi", PYWARP_HOST="::1")
        self.assertEqual(done.returncode, 2)
        self.assertRegex(done.stderr, r"^pywarp: mod_wsgi cannot listen on the IPv6 address ::1 [^\n]+PYWARP_HOST=::[^\n]+\n$")

    def test_bad_port_or_host_one_line_each_server(self):
        for name in ("gunicorn", "uwsgi", "waitress", "mod_wsgi"):
            for variable, value in (("PORT", "65536"), ("PORT", "\u00b2"), ("PORT", "\u0668\u0660"),
                                    ("PYWARP_HOST", "127.0.0.1:9999"), ("PYWARP_HOST", "0.0.0.0 --reload")):
                with self.subTest(server=name, variable=variable, value=value):
                    done = run_launcher(self.sandbox, name, **{variable: value})
                    self.assertEqual(done.returncode, 2)
                    self.assertRegex(done.stderr, r"^pywarp: %s=\S.* is not an? [^\n]+\n$" % variable)


class LocaleTest(unittest.TestCase):
    def test_mod_wsgi_under_lang_c_utf_8_starts_without_locale_warnings(self):
        server, port = launched(self, "mod_wsgi", LANG="C.UTF-8")
        self.assertEqual(wait_until_serving(port, server), (200, "done /"))
        log = server.log()
        self.assertIn("Locale Setting     : C.UTF-8", log)
        self.assertNotIn("locale", log.replace("Locale Setting     : C.UTF-8", "").replace("--locale C.UTF-8", "").lower())


class DyingWebTest(unittest.TestCase):
    """A web that exits at once, fails to import the app, or listens on 127.0.0.1 only: the launcher says why."""

    def setUp(self):
        self.sandbox = Sandbox()
        self.addCleanup(self.sandbox.remove)

    def test_a_script_that_only_defines_the_app_is_an_error(self):
        self.sandbox.web_program("app.py", "def application(environ, start_response):\n    return []\n")
        done = run_launcher(self.sandbox, "web")
        self.assertEqual(done.returncode, 2)
        self.assertRegex(done.stderr, r"^pywarp: web \(\S+/python app.py\) exited with status 0 after \d+\.\d s; a web "
                                      r"process must keep serving\. If app.py only defines the WSGI app, have a server "
                                      r"run it: build with BP_WSGI_MODULE=app [^\n]+\n$")

    def test_an_import_error_under_gunicorn_ends_with_one_cause_line(self):
        self.sandbox.write(os.path.join(self.sandbox.app, "wsgi.py"), "import os\nimport no_such_module\n")
        done = run_launcher(self.sandbox, "gunicorn")
        lines = done.stderr.splitlines()
        self.assertEqual(done.returncode, 3, done.stderr)  # gunicorn's "Worker failed to boot"
        self.assertIn("Traceback (most recent call last):", lines)
        self.assertEqual([line for line in lines if line.startswith("pywarp:") and "starting" not in line], [lines[-1]])
        self.assertEqual(lines[-1], "pywarp: gunicorn exited with status %d: the last exception it printed: "
                                    "ModuleNotFoundError: No module named 'no_such_module'" % done.returncode)

    def test_a_syntax_error_or_a_missing_variable_named_under_gunicorn_and_uwsgi(self):
        for app, cause in (("def application(:\n", "SyntaxError: invalid syntax"),
                           ("import os\nURL = os.environ['DATABASE_URL']\n", "KeyError: 'DATABASE_URL'")):
            self.sandbox.write(os.path.join(self.sandbox.app, "wsgi.py"), app)
            for name in ("gunicorn", "uwsgi"):
                with self.subTest(server=name, cause=cause):
                    done = run_launcher(self.sandbox, name)
                    self.assertNotEqual(done.returncode, 0, done.stderr)
                    self.assertRegex(done.stderr.splitlines()[-1], r"^pywarp: %s exited with status \d+: the last "
                                                                   r"exception it printed: %s$" % (name, cause))

    def test_a_script_on_127_0_0_1_only_is_warned_about_once(self):
        """A Flask-style app.run(): 127.0.0.1 on the right port, while the platform expects every address."""
        port = free_port()
        self.sandbox.web_program("app.py", SERVES_ON % {"host": "127.0.0.1"})
        server = Server(self.sandbox, self.sandbox.command("web"), self.sandbox.env(port, PYWARP_HOST="0.0.0.0"))
        self.addCleanup(server.stop_everything)
        wait_until_serving(port, server)
        warning = "pywarp: web (%s/bin/python app.py) listens on port %d only on 127.0.0.1:%d" % (self.sandbox.venv, port, port)
        self.assertTrue(wait_for_text(server, warning, STARTUP_SECONDS + 10), server.log())
        os.kill(server.proc.pid, signal.SIGTERM)
        server.wait(10)
        self.assertEqual(server.log().count("pywarp:"), 1, server.log())


# Serves the WSGI app with wsgiref on the given host and $PORT.
SERVES_ON = """
import os
from wsgiref.simple_server import make_server
from wsgi import application
make_server(%(host)r, int(os.environ["PORT"]), application).serve_forever()
"""


def run_launcher(sandbox, process_type, **env):
    return subprocess.run(sandbox.command(process_type), cwd=sandbox.app, env=sandbox.env(free_port(), **env),
                          capture_output=True, text=True, timeout=60)


def wait_for_text(server, text, seconds):
    deadline = time.monotonic() + seconds
    while text not in server.log() and time.monotonic() < deadline:
        time.sleep(0.2)
    return text in server.log()


def launcher_blocks_sigterm(pid, seconds=10):
    """Waits until the launcher has run its first line (SIGTERM blocked): before, CPython itself starts.

    Once it has started the server it waits for signals in sigtimedwait, during which the kernel shows
    the awaited ones unblocked: a child means it is past its first line too.
    """
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with open("/proc/%d/status" % pid) as f:
                blocked = next(int(line.split()[1], 16) for line in f if line.startswith("SigBlk:"))
            with open("/proc/%d/task/%d/children" % (pid, pid)) as f:
                children = f.read().split()
        except (OSError, StopIteration):
            blocked, children = 0, []
        if blocked & (1 << (signal.SIGTERM - 1)) or children:
            return
    raise AssertionError("the launcher did not block SIGTERM within %ds" % seconds)


class StopTest(unittest.TestCase):
    """Every server: status 0 within the graceful timeout, every request finished, nothing left."""

    def setUp(self):
        self.sandbox = Sandbox()
        self.addCleanup(self.sandbox.remove)

    def launch(self, name, port, **env):
        server = Server(self.sandbox, self.sandbox.command(name), self.sandbox.env(port, **env))
        self.addCleanup(server.stop_everything)
        return server

    def assert_stopped(self, server, *statuses):
        self.assertIn(server.wait(GRACEFUL_TIMEOUT + 5), statuses or (0,), server.log())
        if server.proc.returncode == 0:
            self.assertNotIn("killing it", server.log())
        self.assertEqual(_session_members(server.proc.pid), [], "processes left behind:\n" + server.log())

    def test_sigterm_in_the_first_instant(self):
        """From the launcher's first line, while the server starts, and once it serves."""
        for name in SERVERS:
            for moment in ("launcher", 0.3, "serving"):
                with self.subTest(name, moment=moment):
                    port = free_port()
                    server = self.launch(name, port)
                    if moment == "launcher":
                        launcher_blocks_sigterm(server.proc.pid)
                    elif moment == "serving":
                        wait_until_serving(port, server)
                    else:
                        time.sleep(moment)
                    os.kill(server.proc.pid, signal.SIGTERM)
                    self.assert_stopped(server)

    def test_requests_in_flight_finish_below_capacity_and_under_overload(self):
        for name in SERVERS:
            for requests in (CAPACITY // 2, 2 * CAPACITY):
                with self.subTest(name, requests=requests):
                    for marker in os.listdir(self.sandbox.busy):
                        os.remove(os.path.join(self.sandbox.busy, marker))
                    port = free_port()
                    server = self.launch(name, port, WEB_CONCURRENCY="2")
                    wait_until_serving(port, server)
                    busy = [SentRequest(port, "/busy") for _ in range(requests)]  # all sent before the signal
                    started = min(requests, CAPACITY)
                    self.assertTrue(wait_for_files(self.sandbox.busy, started), "not %d requests started:\n%s" % (started, server.log()))
                    os.kill(server.proc.pid, signal.SIGTERM)
                    self.assert_stopped(server)
                    for request in busy:
                        request.join(10)
                    self.assertEqual([r.result for r in busy], [(200, "done /busy")] * requests, server.log())

    def test_a_killed_launcher_takes_the_server_along(self):
        """SIGKILL leaves the launcher nothing to pass on: the kernel's SIGTERM stops the server."""
        for name in SERVERS:
            with self.subTest(name):
                port = free_port()
                server = self.launch(name, port)
                wait_until_serving(port, server)
                server.proc.kill()
                server.wait(10)
                deadline = time.monotonic() + GRACEFUL_TIMEOUT + 5
                while _session_members(server.proc.pid) and time.monotonic() < deadline:
                    time.sleep(0.1)
                self.assertEqual(_session_members(server.proc.pid), [], "processes left behind:\n" + server.log())

    def test_sigquit_to_mod_wsgi_ends_all_of_apache(self):
        port = free_port()
        server = self.launch("mod_wsgi", port)
        wait_until_serving(port, server)
        os.kill(server.proc.pid, signal.SIGQUIT)
        # Apache's parent does not catch SIGQUIT and ends at once (131), but now and then it is not
        # gone before the launcher kills the group at the graceful timeout (137); either way, all of it.
        self.assert_stopped(server, 128 + signal.SIGQUIT, 128 + signal.SIGKILL)


class UwsgiWorkersTest(unittest.TestCase):
    """uWSGI's master forks one worker at start, and the others once its loop runs and reads a '+' for
    each from its FIFO (the master-start hook writes them)."""

    def test_the_others_come_after_the_master_starts(self):
        server, port = launched(self, "uwsgi", WEB_CONCURRENCY="3")
        wait_until_serving(port, server)
        deadline = time.monotonic() + 10
        while "spawned uWSGI worker 3 " not in server.log() and time.monotonic() < deadline:
            time.sleep(0.1)
        log = server.log()
        order = [log.find(line) for line in ("spawned uWSGI worker 1 ", 'running "writefifo:', "spawned uWSGI worker 2 ",
                                             "spawned uWSGI worker 3 ")]
        self.assertEqual(order, sorted(order), log)
        self.assertNotIn(-1, order, log)
        self.assertNotIn("spawned uWSGI worker 4 ", log)
        os.kill(server.proc.pid, signal.SIGTERM)
        self.assertEqual(server.wait(GRACEFUL_TIMEOUT + 5), 0, server.log())

    def test_a_worker_freezes_what_it_inherits_from_the_master(self):
        server, port = launched(self, "uwsgi", WEB_CONCURRENCY="1")
        wait_until_serving(port, server)
        status, frozen = get(port, "/frozen")
        # the master's objects (the interpreter's and the app's), out of the worker's collections
        self.assertEqual(status, 200)
        self.assertGreater(int(frozen), 1000, server.log())
        os.kill(server.proc.pid, signal.SIGTERM)
        self.assertEqual(server.wait(GRACEFUL_TIMEOUT + 5), 0, server.log())


@unittest.skipUnless(os.geteuid() == 0, "as root only: Apache's workers switch to another account")
class RootTest(unittest.TestCase):
    """mod_wsgi started by root: its workers must be able to read the app, or it must not start."""

    def setUp(self):
        self.sandbox = Sandbox()
        self.addCleanup(self.sandbox.remove)

    def test_an_app_only_root_can_read_is_one_clear_error(self):
        os.chmod(self.sandbox.root, 0o700)
        done = subprocess.run(self.sandbox.command("mod_wsgi"), cwd=self.sandbox.app, env=self.sandbox.env(free_port()),
                              capture_output=True, text=True, timeout=60)
        expected = "pywarp: running as root, Apache's workers run as 'nobody', which cannot read %s (needed: %s); " % (
            self.sandbox.root, self.sandbox.app)
        self.assertEqual((done.returncode, done.stderr[:len(expected)]), (2, expected), done.stderr)

    def test_workers_run_as_the_owner_of_what_nobody_cannot_read(self):
        owner = next(e for e in pwd.getpwall() if e.pw_uid not in (0, pwd.getpwnam("nobody").pw_uid))
        os.chmod(self.sandbox.root, 0o700)
        os.chown(self.sandbox.root, owner.pw_uid, -1)
        port = free_port()
        server = Server(self.sandbox, self.sandbox.command("mod_wsgi"), self.sandbox.env(port))
        self.addCleanup(server.stop_everything)
        self.assertEqual(wait_until_serving(port, server), (200, "done /"))
        uids = {os.stat("/proc/%d" % pid).st_uid for pid in _session_members(server.proc.pid)}
        self.assertEqual(uids, {0, owner.pw_uid})  # the launcher and Apache's parent, its workers
        os.kill(server.proc.pid, signal.SIGTERM)
        self.assertEqual(server.wait(GRACEFUL_TIMEOUT + 5), 0, server.log())


class Pid1Test(unittest.TestCase):
    def setUp(self):
        self.sandbox = Sandbox()
        self.addCleanup(self.sandbox.remove)

    def run_as_pid_1(self, process_type):
        argv = unshare(self.sandbox.command(process_type))
        done = subprocess.run(argv, cwd=self.sandbox.app, env=self.sandbox.env(free_port()),
                              capture_output=True, text=True, timeout=60)
        self.assertEqual(done.returncode, 0, done.stderr)
        return done.stdout

    def test_the_launcher_reaps_orphans(self):
        self.assertEqual(self.run_as_pid_1("orphans"), "pid=2 zombies=0\n")

    def test_an_app_ignoring_sigterm_is_killed_after_the_stop_timeout(self):
        argv = unshare(self.sandbox.command("stubborn"))
        env = self.sandbox.env(free_port(), PYWARP_STOP_TIMEOUT="2")
        proc = subprocess.Popen(argv, cwd=self.sandbox.app, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.assertEqual(proc.stdout.readline(), "ignoring SIGTERM\n")
        os.kill(pid_1_of(proc.pid), signal.SIGTERM)
        _, err = proc.communicate(timeout=30)
        message = "pywarp: still running 2s after SIGTERM; killing it and its process group (PYWARP_STOP_TIMEOUT=2)\n"
        self.assertEqual((proc.returncode, err), (128 + signal.SIGKILL, message))

    def test_without_the_init_the_orphans_stay_zombies(self):
        """The control: the same app as PID 1 itself leaves them."""
        self.assertEqual(self.run_as_pid_1("orphans-no-init"), "pid=1 zombies=3\n")


def unshare(argv):
    return ["unshare", "--pid", "--fork", "--mount-proc", "--kill-child"] + argv


def pid_1_of(unshare_pid, seconds=10):
    """The host PID of the namespace's PID 1: unshare's only child."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with open("/proc/%d/task/%d/children" % (unshare_pid, unshare_pid)) as f:
            children = f.read().split()
        if children:
            return int(children[0])
        time.sleep(0.05)
    raise AssertionError("unshare started no child")


if __name__ == "__main__":
    unittest.main()
