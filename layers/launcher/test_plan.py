"""The launcher's decisions, from the launch.json that src/plan/launch-data.test.ts checks against the TS side."""
import json
import os
import signal
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import pywarp_main  # noqa: E402
import pywarp_plan  # noqa: E402
from pywarp_args import LaunchError  # noqa: E402
from pywarp_init import Stop  # noqa: E402
from pywarp_limits import MIB, Limits  # noqa: E402

FIXTURE = os.path.join(HERE, "testdata", "launch.json")
VENV = "/layers/pywarp/venv"
STATIC = ("/static", "/workspace/staticfiles")


class FakeHost(pywarp_main.Host):
    def __init__(self, pid=4242, conditions=("dev_shm",), apache_problem=None, memory_mib=1024,
                 locales=("C.UTF-8", "de_DE.UTF-8")):
        super().__init__()
        self._pid, self._conditions, self._apache_problem = pid, set(conditions), apache_problem
        self._memory, self._locales = memory_mib, locales

    def pid(self):
        return self._pid

    def conditions(self):
        return self._conditions

    def limits(self):
        return Limits(2.0, self._memory * MIB if self._memory else None)  # → 4 processes

    def has_locale(self, name):
        return name in self._locales

    def host_cpus(self):
        return 8

    def server_root(self):
        self.server_roots = getattr(self, "server_roots", 0) + 1
        return "/tmp/server-root"

    def start_gate(self, root):
        return root + "/pywarp-start.lock"

    def account(self, data):
        return "nobody", "nogroup"

    def apache_problem(self, data, env):
        return self._apache_problem


def load():
    with open(FIXTURE) as f:
        return json.load(f)


class Case(unittest.TestCase):
    def setUp(self):
        self.data = load()
        self.app_dir = tempfile.mkdtemp()
        self.data["app_dir"] = self.app_dir

    def plan(self, env=None, process="web", extra=(), host=None):
        return pywarp_plan.plan(self.data, process, dict(env or {}), list(extra), host or FakeHost())

    def argv(self, env=None, process="web", extra=(), host=None):
        return self.plan(env, process, extra, host).argv

    def write(self, relative, text):
        path = os.path.join(self.app_dir, relative)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(text)


GUNICORN = [
    VENV + "/bin/python", "/layers/pywarp/launcher/pywarp_gunicorn.py",
    "--bind", "0.0.0.0:8080",
    "--workers", "4",
    "--threads", "8",
    "--worker-tmp-dir", "/dev/shm",
    "--graceful-timeout", "8",
    "--forwarded-allow-ips", "*",
    "--access-logfile", "-",
    "--error-logfile", "-",
    "pywarp_wsgi:application",
]
UWSGI = [
    VENV + "/bin/uwsgi",
    "--master",
    "--http-socket", "0.0.0.0:8080",
    "--processes", "4",
    "--threads", "8",
    "--enable-threads",
    "--single-interpreter",
    "--need-app",
    "--pyimport", "/layers/pywarp/launcher/pywarp_uwsgi.py",
    "--master-fifo", "/tmp/server-root/pywarp-master.fifo",
    "--die-on-term",
    "--hook-master-start", "unix_signal:15 gracefully_kill_them_all",
    "--cheaper", "1", "--cheaper-initial", "1", "--cheaper-algo", "manual",
    "--hook-master-start", "writefifo:/tmp/server-root/pywarp-master.fifo +++",
    "--worker-reload-mercy", "8",
    "--static-map", "%s=%s" % STATIC,
    "--module", "mysite.wsgi:application",
]
WAITRESS = [
    VENV + "/bin/python", "/layers/pywarp/launcher/pywarp_waitress.py",
    "--listen", "0.0.0.0:8080",
    "--threads", "32",
    "--graceful-timeout", "8",
    "--access-log",
    "pywarp_wsgi:application",
]
MOD_WSGI = [
    VENV + "/bin/mod_wsgi-express", "start-server",
    "--host", "0.0.0.0",
    "--port", "8080",
    "--server-root", "/tmp/server-root",
    "--locale", "C.UTF-8",
    "--log-to-terminal",
    "--startup-log",
    "--access-log",
    "--processes", "4",
    "--threads", "8",
    "--shutdown-timeout", "8",
    "--url-alias", STATIC[0], STATIC[1],
    "--python-path", "/layers/pywarp/launcher",
    "--application-type", "module",
    "--entry-point", "pywarp_wsgi",
    "--callable-object", "application",
]


class DefaultArgvTest(Case):
    def test_each_server(self):
        for name, argv in (("gunicorn", GUNICORN), ("uwsgi", UWSGI), ("waitress", WAITRESS), ("mod_wsgi", MOD_WSGI)):
            with self.subTest(name):
                self.assertEqual(self.argv(process=name), argv)

    def test_web_runs_the_build_time_choice(self):
        self.assertEqual(self.argv(), GUNICORN)

    def test_port_and_host_from_the_environment(self):
        argv = self.argv({"PORT": "5000", "PYWARP_HOST": "127.0.0.1"})
        self.assertIn("127.0.0.1:5000", argv)
        self.assertIn("[::]:5000", self.argv({"PORT": "5000", "PYWARP_HOST": "::"}))

    def test_a_bad_port_is_an_error(self):
        with self.assertRaisesRegex(LaunchError, "^PORT=http is not a port number; give a whole number from 1 to 65535"):
            self.plan({"PORT": "http"})

    def test_an_ipv6_host_in_brackets_for_gunicorn_uwsgi_and_waitress(self):
        for host in ("::1", "[::1]", " [0:0::1] "):
            for name, option in (("gunicorn", "--bind"), ("uwsgi", "--http-socket"), ("waitress", "--listen")):
                with self.subTest(host=host, server=name):
                    argv = self.argv({"PYWARP_HOST": host, "PORT": "5000"}, process=name)
                    self.assertEqual(argv[argv.index(option) + 1], "[::1]:5000")

    def test_mod_wsgi_listens_on_every_address_for_ipv6_all(self):
        for host in ("::", "[::]"):
            argv = self.argv({"PYWARP_HOST": host}, process="mod_wsgi")
            self.assertNotIn("--host", argv)
            self.assertEqual(argv[2:4], ["--port", "8080"])

    def test_mod_wsgi_refuses_another_ipv6_address(self):
        with self.assertRaisesRegex(LaunchError, "^mod_wsgi cannot listen on the IPv6 address ::1 .*PYWARP_HOST=::"):
            self.plan({"PYWARP_HOST": "[::1]"}, process="mod_wsgi")

    def test_mod_wsgi_takes_ipv4_and_hostnames(self):
        for host in ("127.0.0.1", "localhost"):
            argv = self.argv({"PYWARP_HOST": host}, process="mod_wsgi")
            self.assertEqual(argv[argv.index("--host") + 1], host)

    def test_a_web_program_checks_port_and_host_too(self):
        self.plan({"PYWARP_HOST": "0.0.0.0 --reload"}, process="worker")  # not web: not its business
        self.data["processes"]["web"] = self.data["processes"].pop("worker")
        with self.assertRaisesRegex(LaunchError, "^PYWARP_HOST='0.0.0.0 --reload' is not an address"):
            self.plan({"PYWARP_HOST": "0.0.0.0 --reload"})
        p = self.plan({"PORT": "5000"})
        self.assertEqual((p.watch["process"], p.watch["what"], p.watch["bind"].port), ("web", "python worker.py", 5000))
        # arguments that replace web's make it a one-off command: not watched as a server
        self.assertIsNone(self.plan(extra=["-c", "print(1)"]).watch)

    def test_as_root_apache_workers_run_as_nobody(self):
        argv = self.argv(process="mod_wsgi", host=FakeHost(conditions=("root",)))
        at = argv.index("--user")
        self.assertEqual(argv[at:at + 5], ["--user", "nobody", "--group", "nogroup", "--url-alias"])

    def test_a_server_root_is_made_only_for_the_server_that_uses_it(self):
        host = FakeHost()
        self.argv(host=host)
        self.assertFalse(hasattr(host, "server_roots"))
        self.argv(process="mod_wsgi", host=host)
        self.assertEqual(host.server_roots, 1)

    def test_mod_wsgi_alone_gets_the_start_gate_in_its_server_root(self):
        host = FakeHost()
        self.assertEqual(self.plan(process="mod_wsgi", host=host).env["PYWARP_START_GATE"], "/tmp/server-root/pywarp-start.lock")
        self.assertEqual(host.server_roots, 1)  # the same root as --server-root's
        for process in ("gunicorn", "uwsgi", "waitress"):
            with self.subTest(process):
                self.assertNotIn("PYWARP_START_GATE", self.plan(process=process).env)

    def test_no_dev_shm_no_worker_tmp_dir(self):
        self.assertNotIn("--worker-tmp-dir", self.argv(host=FakeHost(conditions=())))


class ServerChoiceTest(Case):
    def test_run_time_variables_win_pywarp_first(self):
        self.assertEqual(self.argv({"WARPDRIVE_SERVER_TYPE": "uwsgi"}), UWSGI)
        self.assertEqual(self.argv({"PYWARP_SERVER_TYPE": "waitress", "WARPDRIVE_SERVER_TYPE": "uwsgi"}), WAITRESS)

    def test_without_a_build_choice_warpdrive_order(self):
        self.data["build_server"] = None
        self.assertEqual(self.argv(host=FakeHost()), MOD_WSGI)

    def test_unknown_server_names_the_installed_ones(self):
        with self.assertRaises(LaunchError) as caught:
            self.plan({"PYWARP_SERVER_TYPE": "hypercorn"})
        self.assertEqual(
            str(caught.exception),
            "PYWARP_SERVER_TYPE=hypercorn is not an installed server; installed: mod_wsgi, gunicorn, uwsgi, waitress",
        )

    def test_uninstalled_server(self):
        self.data["installed"] = ["gunicorn"]
        with self.assertRaisesRegex(LaunchError, "^WARPDRIVE_SERVER_TYPE=uwsgi is not an installed server; installed: gunicorn$"):
            self.plan({"WARPDRIVE_SERVER_TYPE": "uwsgi"})

    def test_fixed_server_types_ignore_the_switch(self):
        self.assertEqual(self.argv({"PYWARP_SERVER_TYPE": "uwsgi"}, process="waitress"), WAITRESS)

    def test_unknown_process_type(self):
        with self.assertRaisesRegex(LaunchError, "^no process type 'worke'; this image has: gunicorn, mod_wsgi, uwsgi"):
            self.plan(process="worke")


class OverrideTest(Case):
    def test_web_concurrency_sets_processes(self):
        self.assertEqual(self.argv({"WEB_CONCURRENCY": "3"})[4:6], ["--workers", "3"])
        self.assertIn("--threads", self.argv({"WEB_CONCURRENCY": "3"}, process="waitress"))
        self.assertEqual(self.argv({"WEB_CONCURRENCY": "3"}, process="waitress")[5], "24")

    def test_bad_web_concurrency(self):
        for value, shown in (("0", "0"), ("000", "000"), ("²", r"'\\xb2'"), ("٣", r"'\\u0663'"), ("-1", "-1"), ("2.5", "2.5")):
            with self.subTest(value), self.assertRaisesRegex(LaunchError, "^WEB_CONCURRENCY=%s is not a whole number above 0$" % shown):
                self.plan({"WEB_CONCURRENCY": value})

    def test_web_concurrency_is_capped_and_says_so(self):
        for value, memory, expected in (("100000", None, 128), ("9" * 5000, None, 128), ("100", 512, 30), ("30", 512, 30)):
            with self.subTest(value=value[:10], memory=memory):
                p = self.plan({"WEB_CONCURRENCY": value}, host=FakeHost(memory_mib=memory))
                self.assertEqual(p.argv[4:6], ["--workers", str(expected)])
                capped = ["WEB_CONCURRENCY=%s is above the maximum of %d processes; starting %d" % (
                    value if len(value) < 10 else value[:60] + "...", expected, expected)]
                self.assertEqual(p.warnings, capped if value != "30" else [])

    def test_gunicorn_cmd_args_drop_our_defaults_and_are_not_repeated(self):
        argv = self.argv({"GUNICORN_CMD_ARGS": "-w2 --bind=:9000 --worker-class gevent"})
        dropped = ("--bind", "--workers", "--threads")
        self.assertEqual(argv, [a for i, a in enumerate(GUNICORN) if a not in dropped and GUNICORN[i - 1] not in dropped])

    def test_gunicorn_config_file_settings_drop_our_defaults(self):
        self.write("gunicorn.conf.py", "workers = 3\nwsgi_app = 'other:app'\nimport os\nthreads: int = 2\n")
        argv = self.argv()
        self.assertNotIn("--workers", argv)
        self.assertNotIn("--threads", argv)
        self.assertNotIn("pywarp_wsgi:application", argv)

    def test_config_file_named_in_cmd_args(self):
        self.write("conf/g.py", "bind = ['0.0.0.0:1234']\n")
        self.assertNotIn("--bind", self.argv({"GUNICORN_CMD_ARGS": "-c conf/g.py"}))

    def test_forwarded_allow_ips_from_gunicorns_own_variable(self):
        self.assertNotIn("--forwarded-allow-ips", self.argv({"FORWARDED_ALLOW_IPS": "10.0.0.1"}))

    def test_uwsgi_variables_drop_our_defaults(self):
        argv = self.argv({"UWSGI_PROCESSES": "2", "UWSGI_HTTP_SOCKET": ":9000"}, process="uwsgi")
        self.assertNotIn("--processes", argv)
        self.assertNotIn("--http-socket", argv)

    def test_mod_wsgi_variables_become_options_in_place_of_ours(self):
        env = {"MOD_WSGI_PROCESSES": "3", "MOD_WSGI_ACCESS_LOG": "1", "MOD_WSGI_ENTRY_POINT": "other.wsgi"}
        argv = self.argv(env, process="mod_wsgi")
        self.assertEqual(argv.count("--processes"), 1)
        self.assertEqual(argv[-9:], ["--processes", "3", "--entry-point", "other.wsgi", "--access-log",
                                     "--application-type", "module", "--callable-object", "application"])
        self.assertNotIn("--python-path", argv)  # its daemons would enter the gate that pywarp_wsgi leaves

    def test_mod_wsgi_locale_is_the_users_when_installed_else_c_utf_8(self):
        for env, expected in (
            ({}, "C.UTF-8"),
            ({"LANG": "C.UTF-8"}, "C.UTF-8"),  # mod_wsgi-express alone would pick en_US.UTF-8
            ({"LANG": "C"}, "C.UTF-8"),
            ({"LANG": "de_DE.UTF-8"}, "de_DE.UTF-8"),
            ({"LANG": "en_US.UTF-8"}, "C.UTF-8"),  # not installed here
            ({"LANG": "de_DE.UTF-8", "LC_ALL": "fr_FR.UTF-8"}, "C.UTF-8"),  # LC_ALL wins, and is missing
        ):
            with self.subTest(env):
                argv = self.argv(env, process="mod_wsgi")
                self.assertEqual(argv[argv.index("--locale") + 1], expected)
        self.assertEqual(self.argv({"MOD_WSGI_SERVER_MPM": "event"}, process="mod_wsgi", extra=["--lang", "x"]).count("--locale"), 0)

    def test_server_args_file_for_all_servers(self):
        self.write(".warpdrive/server_args", "--timeout $TIMEOUT  # comment\n--name '${NAME} x'\n")
        argv = self.argv({"TIMEOUT": "60", "NAME": "shop"})
        self.assertEqual(argv[-7:], ["--error-logfile", "-", "--timeout", "60", "--name", "shop x",
                                     "pywarp_wsgi:application"])

    def test_server_args_directory_per_server_and_command_line_args(self):
        self.write(".warpdrive/server_args/waitress", "--threads 7\n")
        self.write(".warpdrive/server_args/gunicorn", "--workers 9\n")
        argv = self.argv(process="waitress", extra=["--ident", "shop"])
        self.assertEqual(argv[2:], ["--listen", "0.0.0.0:8080", "--graceful-timeout", "8", "--access-log",
                                    "--threads", "7", "--ident", "shop", "pywarp_wsgi:application"])

    def test_server_args_bind_replaces_ours(self):
        self.write(".warpdrive/server_args", "-b unix:/tmp/app.sock\n")
        argv = self.argv()
        self.assertEqual(argv.count("-b") + argv.count("--bind"), 1)


class EnvTest(Case):
    def test_whitenoise_wrapper_env_and_pythonpath(self):
        env = self.plan({"PYTHONPATH": "/app/lib", "PYTHONUNBUFFERED": "0"}).env
        self.assertEqual(env["PYTHONPATH"], "/layers/pywarp/launcher:/app/lib")
        self.assertEqual(env["PYWARP_WSGI_APP"], "mysite.wsgi:application")
        self.assertEqual((env["PYWARP_STATIC_URL"], env["PYWARP_STATIC_ROOT"]), STATIC)
        self.assertEqual(env["PYTHONUNBUFFERED"], "0")

    def test_unbuffered_by_default(self):
        self.assertEqual(self.plan(process="uwsgi").env["PYTHONUNBUFFERED"], "1")
        self.assertNotIn("PYTHONPATH", self.plan(process="uwsgi").env)


class ProcessModeTest(Case):
    def test_web_and_server_processes_are_watched_other_programs_not(self):
        self.assertEqual(self.plan().watch, {"process": "web", "what": "gunicorn"})
        self.assertEqual(self.plan(process="uwsgi").watch, {"process": "uwsgi", "what": "uwsgi"})
        self.assertIsNone(self.plan(process="worker").watch)

    def stop(self, env=None, **kw):
        p = self.plan(env, **kw)
        return p.supervise, p.stop, p.kill_after, p.kill_note

    def test_every_server_is_supervised_and_stopped_once_it_can_take_it(self):
        for name in ("gunicorn", "waitress"):
            for host in (FakeHost(), FakeHost(pid=1)):
                self.assertEqual(self.stop(process=name, host=host), (True, Stop("signal"), 25, "PYWARP_STOP_TIMEOUT=25"))

    def test_uwsgi_starts_one_worker_and_asks_its_master_for_the_others(self):
        cheaper = ["--cheaper", "1", "--cheaper-initial", "1", "--cheaper-algo", "manual"]
        hook = lambda pluses: ["--hook-master-start", "writefifo:/tmp/server-root/pywarp-master.fifo " + pluses]  # noqa: E731
        for env, extra, expected in (
            ({}, (), cheaper + hook("+++")),
            ({"WEB_CONCURRENCY": "3"}, (), cheaper + hook("++")),
            ({"WEB_CONCURRENCY": "1"}, (), []),  # uWSGI refuses --cheaper 1 for one process
            ({}, ("-p", "6"), []),  # the user's count: ours would not know how many to add
            ({"UWSGI_WORKERS": "6"}, (), []),
            ({}, ("--cheaper", "2"), []),
            ({"UWSGI_CHEAPER_ALGO": "spare"}, (), []),
        ):
            with self.subTest(env=env, extra=extra):
                argv = self.argv(dict(env, WARPDRIVE_SERVER_TYPE="uwsgi"), extra=extra)
                at = [i for i in range(len(argv)) if argv[i:i + len(cheaper)] == cheaper]
                self.assertEqual(argv[at[0]:at[0] + len(cheaper) + 2] if at else [], expected)

    def test_uwsgi_stops_through_its_master_fifo(self):
        expected = Stop("fifo", fifo="/tmp/server-root/pywarp-master.fifo")
        self.assertEqual(self.stop(process="uwsgi"), (True, expected, 25, "PYWARP_STOP_TIMEOUT=25"))

    def test_mod_wsgi_sigterm_becomes_graceful_stop_killed_after_the_graceful_timeout(self):
        stop = Stop("signal", signal.SIGWINCH)
        self.assertEqual(self.stop(process="mod_wsgi"), (True, stop, 8, "the graceful timeout"))
        self.assertEqual(self.stop({"PYWARP_STOP_TIMEOUT": "5"}, process="mod_wsgi"), (True, stop, 5, "PYWARP_STOP_TIMEOUT=5"))

    def test_stop_timeout(self):
        self.assertEqual(self.stop({"PYWARP_STOP_TIMEOUT": "40"})[2:], (40, "PYWARP_STOP_TIMEOUT=40"))
        with self.assertRaisesRegex(LaunchError, "^PYWARP_STOP_TIMEOUT=soon is not a whole number above 0$"):
            self.plan({"PYWARP_STOP_TIMEOUT": "soon"})

    def test_mod_wsgi_without_apache_is_an_error(self):
        with self.assertRaisesRegex(LaunchError, "^no httpd$"):
            self.plan(process="mod_wsgi", host=FakeHost(apache_problem="no httpd"))

    def test_program_with_init_as_pid_1(self):
        p = self.plan(process="worker", extra=["--queue", "a"], host=FakeHost(pid=1))
        self.assertEqual((p.argv, p.supervise, p.stop, p.kill_after), (["python", "worker.py", "--queue", "a"], True, Stop(), 25))
        self.assertFalse(self.plan(process="worker").supervise)

    def test_program_without_init_is_execed(self):
        self.data["processes"]["worker"]["init"] = False
        self.assertFalse(self.plan(process="worker", host=FakeHost(pid=1)).supervise)


class CheckTest(Case):
    def test_check(self):
        self.assertIsNone(pywarp_plan.check(self.data, "gunicorn", {}, FakeHost(apache_problem="x")))
        self.assertIsNone(pywarp_plan.check(self.data, "mod_wsgi", {}, FakeHost()))
        self.assertEqual(pywarp_plan.check(self.data, "mod_wsgi", {}, FakeHost(apache_problem="no httpd")), "no httpd")
        with self.assertRaisesRegex(LaunchError, "^uwsgi2 is not an installed server"):
            pywarp_plan.check(self.data, "uwsgi2", {}, FakeHost())


if __name__ == "__main__":
    unittest.main()
