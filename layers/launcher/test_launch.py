"""The launcher script itself: exit statuses and what reaches stderr."""
import json
import marshal
import os
import signal
import subprocess
import sys
import tempfile
import unittest
from unittest import mock

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURE = os.path.join(HERE, "testdata", "launch.json")


def load():
    with open(FIXTURE) as f:
        return json.load(f)


RUN_SCRIPT = (
    "sys.argv = [SCRIPT] + sys.argv[1:]\n"
    "exec(compile(open(SCRIPT).read(), SCRIPT, 'exec'), {'__file__': SCRIPT, '__name__': '__main__'})\n"
)


class ScriptTest(unittest.TestCase):
    """The script itself: one line on stderr and exit status 2 for a user error."""

    def run_launcher(self, data, *args, env=None, copy=None, code=None):
        """As the image runs it: launch.json with its marshal copy (src/effects/pyc.ts), or `copy`, a
        (bytes, data) pair to write instead, or False for none; `code` runs first in the launcher's own
        process (SCRIPT names the script), then the script."""
        directory = tempfile.mkdtemp()
        for name in os.listdir(HERE):
            if name.startswith("pywarp_") and name.endswith(".py"):
                os.symlink(os.path.join(HERE, name), os.path.join(directory, name))
        raw = json.dumps(data).encode()
        with open(os.path.join(directory, "launch.json"), "wb") as f:
            f.write(raw)
        if copy is not False:
            with open(os.path.join(directory, "launch.json.marshal"), "wb") as f:
                marshal.dump(copy or (raw, json.loads(raw)), f)
        script = os.path.join(directory, "pywarp_launch.py")
        base = {"PATH": os.environ.get("PATH", os.defpath)}
        run = ["-c", "SCRIPT = %r\n" % script + code + RUN_SCRIPT] if code else [script]
        return subprocess.run([sys.executable, "-I", "-S"] + run + list(args), env=dict(base, **(env or {})),
                              capture_output=True, text=True, timeout=30)

    def test_reads_the_marshal_copy_only_when_it_is_of_the_same_bytes(self):
        data, other = load(), load()
        data["processes"]["hello"] = {"kind": "program", "argv": [sys.executable, "-c", "print('json')"], "init": True}
        other["processes"]["hello"] = {"kind": "program", "argv": [sys.executable, "-c", "print('copy')"], "init": True}
        raw = json.dumps(data).encode()
        for copy, expected in (((raw, other), "copy\n"), ((raw + b" ", other), "json\n"), (False, "json\n"),
                               ((raw,), "json\n")):
            with self.subTest(copy):
                done = self.run_launcher(data, "hello", copy=copy)
                self.assertEqual((done.returncode, done.stdout), (0, expected), done.stderr)

    def test_a_server_start_imports_nothing_costly_before_the_fork(self):
        """json, re, signal (enum), threading, shlex and tempfile cost as much as Python's own start: every
        module imported before the fork delays the server's first request."""
        costly = {"json", "re", "enum", "signal", "threading", "functools", "collections", "shlex", "tempfile",
                  "random", "subprocess", "ipaddress", "ctypes", "locale"}
        code = (
            "import os, sys\n"
            "def fork():\n"
            "    print(' '.join(sorted(sys.modules)), flush=True)\n"
            "    os._exit(0)\n"
            "os.fork = fork\n"
        )
        for server in ("gunicorn", "uwsgi", "waitress", "mod_wsgi"):
            with self.subTest(server):
                # uWSGI's and Apache's server root; any executable passes for Apache in the check before the start
                env = {"PYWARP_SERVER_TYPE": server, "TMPDIR": tempfile.mkdtemp(), "HTTPD": sys.executable}
                data, readable = load(), tempfile.mkdtemp()
                os.chmod(readable, 0o755)  # by Apache's workers, as root
                data["app_dir"] = data["venv_dir"] = readable
                done = self.run_launcher(data, "web", env=env, code=code)
                self.assertEqual(done.returncode, 0, done.stderr)
                imported = set(done.stdout.split())
                self.assertIn("pywarp_watch", imported)  # it got to the fork
                self.assertEqual(imported & costly, set())

    def test_nor_while_the_server_starts(self):
        """The watch's threads start right after the fork, beside the server's own start: _thread, not threading."""
        costly = {"json", "re", "enum", "signal", "threading", "functools", "collections", "shlex", "tempfile"}
        code = (
            "import os, sys\n"
            "sys.path.insert(0, os.path.dirname(SCRIPT))\n"
            "import pywarp_watch\n"
            "started = pywarp_watch.Watch.started\n"
            "def watched(self, pid):\n"
            "    started(self, pid)\n"
            "    print(' '.join(sorted(sys.modules)), flush=True)\n"
            "    os._exit(0)\n"
            "pywarp_watch.Watch.started = watched\n"
        )
        done = self.run_launcher(load(), "web", env={"PYWARP_SERVER_TYPE": "waitress"}, code=code)
        self.assertEqual(done.returncode, 0, done.stderr)
        imported = set(done.stdout.split())
        self.assertIn("_thread", imported)
        self.assertEqual(imported & costly, set())

    def test_unknown_server_one_line_exit_2(self):
        done = self.run_launcher(load(), "web", env={"PYWARP_SERVER_TYPE": "nginx"})
        self.assertEqual(done.returncode, 2)
        self.assertEqual(
            done.stderr,
            "pywarp: PYWARP_SERVER_TYPE=nginx is not an installed server; installed: mod_wsgi, gunicorn, uwsgi, waitress\n",
        )

    def test_program_is_execed_with_its_args(self):
        data = load()
        data["processes"]["hello"] = {"kind": "program", "argv": [sys.executable, "-c", "import sys; print(sys.argv[1:])"], "init": True}
        done = self.run_launcher(data, "hello", "a b", "c")
        self.assertEqual((done.returncode, done.stdout), (0, "['a b', 'c']\n"))

    def test_check_without_apache_exits_1_with_the_paragraph(self):
        done = self.run_launcher(load(), "--check", "mod_wsgi", env={"HTTPD": "/nonexistent/httpd"})
        self.assertEqual(done.returncode, 1)
        self.assertRegex(done.stderr, r"^pywarp: mod_wsgi-express cannot start: the run image has no Apache httpd "
                                      r"\(looked for /nonexistent/httpd\)[^\n]*\n$")

    def test_bad_port_host_or_concurrency_one_line_exit_2_no_traceback(self):
        for env, start in (
            ({"PORT": "\u00b2"}, "pywarp: PORT='\\xb2' is not a port number;"),
            ({"PORT": "65536"}, "pywarp: PORT=65536 is not a port number;"),
            ({"PYWARP_HOST": "0.0.0.0 --reload"}, "pywarp: PYWARP_HOST='0.0.0.0 --reload' is not an address to listen on;"),
            ({"WEB_CONCURRENCY": "\u00b3"}, "pywarp: WEB_CONCURRENCY='\\xb3' is not a whole number above 0"),
        ):
            with self.subTest(env):
                done = self.run_launcher(load(), "web", env=env)
                self.assertEqual(done.returncode, 2)
                self.assertTrue(done.stderr.startswith(start), done.stderr)
                self.assertEqual(done.stderr.count("\n"), 1)

    def test_the_deploy_hooks_get_the_signals_the_launcher_blocks_for_the_server(self):
        hooks = tempfile.mkdtemp()
        shows_mask = os.path.join(hooks, "shows-mask")
        with open(shows_mask, "w") as f:
            f.write("#!%s\nimport sys\nfor line in open('/proc/self/status'):\n"
                    "    if line.startswith('SigBlk:'):\n        print('mask', line.split()[1], file=sys.stderr)\n" % sys.executable)
        os.chmod(shows_mask, 0o755)
        with open(os.path.join(hooks, "deploy-env"), "w") as f:
            f.write(shows_mask + "\n")
        data = load()
        data["at_start"] = {"environment": {}, "deploy_env": os.path.join(hooks, "deploy-env"), "deploy": shows_mask}
        data["processes"]["hello"] = {"kind": "program", "argv": [sys.executable, "-c", "print('hello')"], "init": True}
        done = self.run_launcher(data, "hello")
        self.assertEqual((done.returncode, done.stdout), (0, "hello\n"), done.stderr)
        masks = [int(line.split()[1], 16) for line in done.stderr.splitlines() if line.startswith("mask ")]
        self.assertEqual([bool(m & (1 << (signal.SIGTERM - 1))) for m in masks], [False, False], done.stderr)

    def test_other_version_is_refused(self):
        data = dict(load(), version=2)
        done = self.run_launcher(data, "web")
        self.assertEqual(done.returncode, 2)
        self.assertIn("has version 2; this launcher reads version 1", done.stderr)


if __name__ == "__main__":
    unittest.main()


class ServerRootTest(unittest.TestCase):
    def test_a_new_private_directory_each_time_or_an_error(self):
        sys.path.insert(0, HERE)
        import pywarp_main

        parent = tempfile.mkdtemp()
        made = [pywarp_main._new_dir(parent, "pywarp-server-") for _ in range(3)]
        self.assertEqual(len(set(made)), 3)
        for path in made:
            self.assertEqual(os.path.dirname(path), parent)
            self.assertRegex(os.path.basename(path), r"^pywarp-server-[0-9a-f]{12}$")
            self.assertEqual(os.stat(path).st_mode & 0o777, 0o700)
        taken = os.path.basename(made[0])[len("pywarp-server-"):]
        with mock.patch.object(pywarp_main.os, "urandom", return_value=bytes.fromhex(taken)):
            with self.assertRaises(FileExistsError):
                pywarp_main._new_dir(parent, "pywarp-server-", attempts=3)
