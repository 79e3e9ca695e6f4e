"""A watched web process: its stderr passes through unchanged, exiting 0 at once is an error, a crash
ends with one line naming the cause, and a port nobody listens on is said.

The end-to-end cases run `supervise` with a Watch in their own Python process, as test_init does."""
import os
import socket
import subprocess
import sys
import textwrap
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import pywarp_watch  # noqa: E402
from pywarp_bind import Bind  # noqa: E402

SUPERVISOR = textwrap.dedent(
    """
    import sys
    import pywarp_init, pywarp_watch
    from pywarp_bind import Bind
    pywarp_watch.STARTUP_SECONDS = %(window)r
    argv = %(argv)r
    bind = Bind(*%(bind)r) if %(bind)r else None
    watch = pywarp_watch.Watch("web", %(what)r, argv, bind)
    sys.exit(pywarp_init.supervise(argv, {"PATH": "/usr/bin:/bin"}, watch=watch))
    """
)

GUNICORN_BOOT_FAILURE = """\
[2026-11-30 05:40:01 +0000] [7] [INFO] Booting worker with pid: 7
[2026-11-30 05:40:01 +0000] [7] [ERROR] Exception in worker process
Traceback (most recent call last):
  File "/venv/lib/python3.11/site-packages/gunicorn/arbiter.py", line 589, in spawn_worker
    worker.init_process()
  File "<frozen importlib._bootstrap>", line 1140, in _find_and_load_unlocked
ModuleNotFoundError: No module named 'flask'
[2026-11-30 05:40:01 +0000] [7] [INFO] Worker exiting (pid: 7)
[2026-11-30 05:40:01 +0000] [1] [INFO] Shutting down: Master
[2026-11-30 05:40:01 +0000] [1] [INFO] Reason: Worker failed to boot.
"""

# An asyncio worker that stops its loop while a signal arrives (gunicorn with uvicorn workers, seen in CI).
IGNORED_IN_SIGNAL_HANDLER = """\
Exception ignored when trying to write to the signal wakeup fd:
Traceback (most recent call last):
  File "/layers/cpython/lib/python3.11/asyncio/unix_events.py", line 42, in _sighandler_noop
    def _sighandler_noop(signum, frame):
OSError: [Errno 9] Bad file descriptor
[2026-11-30 23:08:22 +0000] [28586] [INFO] Worker exiting (pid: 28586)
"""

CHAINED_SYNTAX_ERROR = """\
Traceback (most recent call last):
  File "a.py", line 1, in <module>
KeyError: 'DATABASE_URL'

During handling of the above exception, another exception occurred:

Traceback (most recent call last):
  File "/app/wsgi.py", line 3
    def (
        ^
SyntaxError: invalid syntax
*** no app loaded. GAME OVER ***
"""


def supervised(argv, what="python app.py", window=10, bind=None):
    script = SUPERVISOR % {"argv": argv, "what": what, "window": window, "bind": bind}
    return subprocess.run([sys.executable, "-c", script], cwd=HERE, capture_output=True, timeout=60)


def python(code):
    return [sys.executable, "-c", textwrap.dedent(code)]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class CauseTest(unittest.TestCase):
    def test_table(self):
        for tail, expected in (
            (GUNICORN_BOOT_FAILURE, "the last exception it printed: ModuleNotFoundError: No module named 'flask'"),
            (CHAINED_SYNTAX_ERROR, "the last exception it printed: SyntaxError: invalid syntax"),
            ("Error: '' is not a valid port number.\n\n", "its last line: Error: '' is not a valid port number."),
            ("", None),
            ('  File "/app/wsgi.py", line 1\n    def application(:\n                    ^\nSyntaxError: invalid syntax\n'
             "unable to load app 0 (mountpoint='') (callable not found or import error)\n"
             "*** no app loaded. GAME OVER ***\n", "the last exception it printed: SyntaxError: invalid syntax"),
            ("django.core.exceptions.ImproperlyConfigured: x\n", "its last line: django.core.exceptions.ImproperlyConfigured: x"),
            ("Traceback (most recent call last):\n  File \"x\"\ndjango.core.exceptions.ImproperlyConfigured: x\nbye\n",
             "the last exception it printed: django.core.exceptions.ImproperlyConfigured: x"),
            ("x" * 400, "its last line: " + "x" * 300 + "..."),
            ("\xff\xfe broken bytes\n", "its last line: \ufffd\ufffd broken bytes"),
        ):
            with self.subTest(tail[:30]):
                data = tail.encode("latin-1") if tail.startswith("\xff") else tail.encode()
                self.assertEqual(pywarp_watch.cause(data), expected)

    def test_an_exception_python_reports_as_ignored_is_no_cause(self):
        # gunicorn with uvicorn workers whose app fails at startup, as seen in CI: a worker stopping its
        # loop reports a signal it could not pass on, then the arbiter halts
        tail = GUNICORN_BOOT_FAILURE + IGNORED_IN_SIGNAL_HANDLER
        self.assertEqual(pywarp_watch.cause(tail.encode()),
                         "the last exception it printed: ModuleNotFoundError: No module named 'flask'")
        self.assertEqual(pywarp_watch.cause(b"Exception ignored in: <function f>\nOSError: x\nValueError: y\n"),
                         "the last exception it printed: ValueError: y")
        self.assertEqual(pywarp_watch.cause(b"ValueError: y\nException ignored in: <function f>\nOSError: x\n"),
                         "the last exception it printed: ValueError: y")


class ListenersTest(unittest.TestCase):
    def test_proc_net_addresses(self):
        self.assertEqual(pywarp_watch._ip("0100007F"), "127.0.0.1")
        self.assertEqual(pywarp_watch._ip("00000000000000000000000001000000"), "::1")

    def test_a_real_listening_socket_is_found(self):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            s.listen()
            port = s.getsockname()[1]
            found = pywarp_watch.read_listeners()
        self.assertIn(("127.0.0.1", port), [(ip, p) for ip, p, _ in found])

    def test_port_warning_table(self):
        class W:
            process, what, pid = "web", "python app.py", -1

        for host, listeners, final, expected in (
            ("0.0.0.0", [("0.0.0.0", 8080, "1")], True, None),
            ("0.0.0.0", [("::", 8080, "1")], True, None),
            ("0.0.0.0", [("10.0.0.5", 8080, "1")], True, None),
            ("127.0.0.1", [("127.0.0.1", 8080, "1")], True, None),  # asked for
            ("0.0.0.0", [("127.0.0.1", 8080, "1")], False, False),
            ("0.0.0.0", [], False, False),
            ("0.0.0.0", [("127.0.0.1", 8080, "1"), ("::1", 8080, "2")], True,
             "web (python app.py) listens on port 8080 only on 127.0.0.1:8080, [::1]:8080, which the platform "
             "cannot reach; make the app listen on all addresses (0.0.0.0 or ::)"),
            ("0.0.0.0", [("127.0.0.1", 5000, "1")], True,
             "web (python app.py): nothing listens on port 8080 10 s after the start (it listens on no TCP port); "
             "the platform sends requests to the port in $PORT: make the app listen there, on all addresses "
             "(Flask: app.run(host=\"0.0.0.0\", port=int(os.environ[\"PORT\"])))"),
        ):
            with self.subTest(host=host, listeners=listeners, final=final):
                w = W()
                w.bind = Bind(host, 8080, ":" in host)
                self.assertEqual(pywarp_watch.port_warning(w, listeners, final), expected)


class SupervisedTest(unittest.TestCase):
    def test_stderr_passes_through_unchanged(self):
        data = bytes(range(256)) * 4096  # 1 MiB, no line structure, no text
        argv = python("""
            import os, sys, time
            data = bytes(range(256)) * 4096
            view = memoryview(data)
            while view:
                view = view[os.write(2, view):]
            os.write(1, b"stdout\\n")
            time.sleep(0.3)
            sys.exit(3)
        """)
        done = supervised(argv, window=0)
        self.assertEqual(done.returncode, 3)
        self.assertEqual(done.stdout, b"stdout\n")
        self.assertEqual(done.stderr[: len(data)], data)
        after = done.stderr[len(data):].decode()
        self.assertTrue(after.startswith("pywarp: web (python app.py) exited with status 3: its last line: "), after)
        self.assertEqual(after.count("\n"), 1)

    @unittest.skipUnless(sys.platform.startswith("linux"), "Linux only")
    def test_the_pipe_holds_the_lines_written_while_the_copy_waits(self):
        import fcntl

        with open("/proc/sys/fs/pipe-max-size") as f:
            if int(f.read()) < pywarp_watch.PIPE_BYTES:
                self.skipTest("pipes are limited to less here")
        read_fd, write_fd = os.pipe()
        try:
            pywarp_watch.enlarge_pipe(read_fd)
            self.assertEqual(fcntl.fcntl(write_fd, fcntl.F_GETPIPE_SZ), pywarp_watch.PIPE_BYTES)
        finally:
            os.close(read_fd)
            os.close(write_fd)

    def test_exit_0_at_once_is_an_error_with_a_hint(self):
        done = supervised([sys.executable, "-c", "print('defined an app')"], what="python app.py")
        self.assertEqual(done.returncode, 2)
        self.assertEqual(done.stdout, b"defined an app\n")
        self.assertRegex(done.stderr.decode(), r"^pywarp: web \(python app.py\) exited with status 0 after \d+\.\d s; "
                                               r"a web process must keep serving\. [^\n]+\n$")

    def test_the_hint_names_the_module(self):
        from pywarp_messages import exited_at_start
        line = exited_at_start("web", "python app.py", 0.4, ["python", "app.py"])
        self.assertEqual(line, "web (python app.py) exited with status 0 after 0.4 s; a web process must keep serving. "
                               "If app.py only defines the WSGI app, have a server run it: build with BP_WSGI_MODULE=app "
                               "(and BP_WSGI_CALLABLE when it is not `application`), or start a server in a Procfile web line.")
        self.assertIn("BP_WSGI_MODULE=web.main ", exited_at_start("web", "x", 1, ["python3", "web/main.py"]))

    def test_exit_0_after_the_window_is_fine(self):
        done = supervised([sys.executable, "-c", "import time; time.sleep(0.5)"], window=0.2)
        self.assertEqual((done.returncode, done.stderr), (0, b""))

    def test_an_import_error_ends_with_one_line_naming_it(self):
        done = supervised(python("import os\nimport no_such_module_here"), what="gunicorn")
        self.assertEqual(done.returncode, 1)
        lines = done.stderr.decode().splitlines()
        self.assertEqual(lines[0], "Traceback (most recent call last):")
        self.assertEqual(lines[-1], "pywarp: web (gunicorn) exited with status 1: the last exception it printed: "
                                    "ModuleNotFoundError: No module named 'no_such_module_here'")
        self.assertEqual(sum(line.startswith("pywarp:") for line in lines), 1)

    def test_a_stop_signal_is_no_failure_to_explain(self):
        argv = python("""
            import os, signal, sys, time
            print("ready", file=sys.stderr, flush=True)
            os.kill(os.getppid(), signal.SIGTERM)  # as docker stop would, to the launcher
            time.sleep(5)
        """)
        done = supervised(argv)
        self.assertEqual((done.returncode, done.stderr), (143, b"ready\n"))

    def test_killed_by_another_signal_says_so(self):
        done = supervised(python("import os, signal; os.kill(os.getpid(), signal.SIGKILL)"), what="uwsgi")
        self.assertEqual(done.returncode, 137)
        self.assertEqual(done.stderr, b"pywarp: web (uwsgi) was killed by SIGKILL (status 137)\n")

    def test_a_script_on_127_0_0_1_only_is_warned_about(self):
        port = free_port()
        argv = python("""
            import socket, time
            s = socket.socket()
            s.bind(("127.0.0.1", %d))
            s.listen()
            time.sleep(3)
        """ % port)
        done = supervised(argv, window=1, bind=("0.0.0.0", port, False))
        self.assertEqual(done.returncode, 0)
        self.assertEqual(done.stderr.decode(), "pywarp: web (python app.py) listens on port %d only on 127.0.0.1:%d, "
                                               "which the platform cannot reach; make the app listen on all "
                                               "addresses (0.0.0.0 or ::)\n" % (port, port))

    def test_a_script_on_another_port_is_warned_about_with_its_port(self):
        port, other = free_port(), free_port()
        argv = python("""
            import socket, time
            s = socket.socket()
            s.bind(("127.0.0.1", %d))
            s.listen()
            time.sleep(3)
        """ % other)
        done = supervised(argv, window=1, bind=("0.0.0.0", port, False))
        self.assertIn("nothing listens on port %d 1 s after the start (it listens on 127.0.0.1:%d)" % (port, other),
                      done.stderr.decode())

    def test_a_script_on_the_port_asked_for_is_not_warned_about(self):
        port = free_port()
        argv = python("""
            import socket, time
            s = socket.socket()
            s.bind(("127.0.0.1", %d))
            s.listen()
            time.sleep(2)
        """ % port)
        done = supervised(argv, window=1, bind=("127.0.0.1", port, False))
        self.assertEqual((done.returncode, done.stderr), (0, b""))


if __name__ == "__main__":
    unittest.main()
