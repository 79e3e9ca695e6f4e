"""The launcher's decisions for an ASGI app, from testdata/launch-asgi.json (checked by src/plan/launch-data.test.ts)."""
import json
import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import pywarp_plan  # noqa: E402
from pywarp_args import LaunchError  # noqa: E402
from pywarp_init import Stop  # noqa: E402
from test_plan import VENV, Case, FakeHost, load  # noqa: E402

FIXTURE = os.path.join(HERE, "testdata", "launch-asgi.json")

UVICORN = [
    VENV + "/bin/python", "/layers/pywarp/launcher/pywarp_uvicorn.py",
    "--host", "0.0.0.0",
    "--port", "8080",
    "--workers", "2",
    "--forwarded-allow-ips", "*",
    "main:app",
]
GUNICORN = [
    VENV + "/bin/python", "/layers/pywarp/launcher/pywarp_gunicorn.py",
    "--bind", "0.0.0.0:8080",
    "--workers", "2",
    "--worker-class", "uvicorn.workers.UvicornWorker",
    "--worker-tmp-dir", "/dev/shm",
    "--graceful-timeout", "8",
    "--forwarded-allow-ips", "*",
    "--access-logfile", "-",
    "--error-logfile", "-",
    "main:app",
]
HYPERCORN = [
    VENV + "/bin/python", "/layers/pywarp/launcher/pywarp_hypercorn.py",
    "--bind", "0.0.0.0:8080",
    "--workers", "2",
    "--graceful-timeout", "8",
    "--access-logfile", "-",
    "--error-logfile", "-",
    "main:app",
]
DAPHNE = [
    VENV + "/bin/python", "/layers/pywarp/launcher/pywarp_daphne.py",
    "--bind", "0.0.0.0",
    "--port", "8080",
    "--graceful-timeout", "8",
    "--access-log", "-",
    "--proxy-headers",
    "main:app",
]


class AsgiCase(Case):
    def setUp(self):
        super().setUp()
        with open(FIXTURE) as f:
            self.data = json.load(f)
        self.data["app_dir"] = self.app_dir


class DefaultArgvTest(AsgiCase):
    def test_each_server(self):
        for name, argv in (("uvicorn", UVICORN), ("gunicorn", GUNICORN), ("hypercorn", HYPERCORN), ("daphne", DAPHNE)):
            with self.subTest(name):
                self.assertEqual(self.argv(process=name), argv)

    def test_web_runs_the_first_installed(self):
        self.assertEqual(self.argv(), UVICORN)

    def test_web_switches_at_run_time(self):
        self.assertEqual(self.argv({"PYWARP_SERVER_TYPE": "gunicorn"}), GUNICORN)
        self.assertEqual(self.argv({"PYWARP_SERVER_TYPE": "hypercorn"}), HYPERCORN)

    def test_port_and_host_from_the_environment(self):
        env = {"PORT": "5000", "PYWARP_HOST": "127.0.0.1"}
        self.assertEqual(self.argv(env)[2:6], ["--host", "127.0.0.1", "--port", "5000"])
        self.assertEqual(self.argv(env, process="hypercorn")[2:4], ["--bind", "127.0.0.1:5000"])
        self.assertEqual(self.argv(env, process="daphne")[2:6], ["--bind", "127.0.0.1", "--port", "5000"])

    def test_web_concurrency_sets_workers(self):
        for name in ("uvicorn", "gunicorn", "hypercorn"):
            with self.subTest(name):
                argv = self.argv({"WEB_CONCURRENCY": "3"}, process=name)
                self.assertEqual(argv[argv.index("--workers") + 1], "3")

    def test_event_loops_one_per_cpu_and_the_note_says_so(self):
        # FakeHost: a CPU quota of 2; gunicorn's threaded formula gives a WSGI app 4 processes there
        for name in ("uvicorn", "gunicorn", "hypercorn"):
            with self.subTest(name):
                p = self.plan(process=name)
                self.assertEqual(p.note, "%s; default 2 processes, an event loop each (CPU quota 2, memory limit 1024 MiB)" % name)

    def test_a_wsgi_server_named_for_an_asgi_app_is_refused_with_why(self):
        with self.assertRaises(LaunchError) as caught:
            self.plan({"PYWARP_SERVER_TYPE": "waitress"})
        self.assertEqual(
            str(caught.exception),
            "PYWARP_SERVER_TYPE=waitress: waitress runs WSGI apps and this app is ASGI; "
            "servers here that can run it: uvicorn, gunicorn, hypercorn, daphne",
        )

    def test_an_asgi_server_named_for_a_wsgi_app_is_refused_with_why(self):
        data = load()  # the WSGI app's launch.json, with uvicorn installed too
        data["app_dir"], data["other_servers"] = self.app_dir, {"uvicorn": "asgi"}
        with self.assertRaisesRegex(LaunchError, "^WARPDRIVE_SERVER_TYPE=uvicorn: uvicorn runs ASGI apps and this app is WSGI; "
                                                 "servers here that can run it: mod_wsgi, gunicorn, uwsgi, waitress$"):
            pywarp_plan.plan(data, "web", {"WARPDRIVE_SERVER_TYPE": "uvicorn"}, [], FakeHost())

    def test_an_unknown_server_is_still_not_installed(self):
        with self.assertRaisesRegex(LaunchError, "^PYWARP_SERVER_TYPE=tornado is not an installed server; installed: uvicorn, gunicorn, hypercorn, daphne$"):
            self.plan({"PYWARP_SERVER_TYPE": "tornado"})

    def test_every_server_is_supervised_and_stopped_once_it_catches_sigterm(self):
        for name in ("uvicorn", "gunicorn", "hypercorn", "daphne"):
            for host in (FakeHost(), FakeHost(pid=1)):
                with self.subTest(name, pid=host.pid()):
                    p = self.plan(process=name, host=host)
                    self.assertEqual((p.supervise, p.stop, p.kill_after), (True, Stop("signal"), 25))


class OverrideTest(AsgiCase):
    def test_uvicorn_reads_its_own_variables(self):
        self.assertEqual(
            self.argv({"UVICORN_PORT": "9000", "UVICORN_WORKERS": "2", "UVICORN_FORWARDED_ALLOW_IPS": "10.0.0.1"}),
            UVICORN[:2] + ["--host", "0.0.0.0", "main:app"],
        )
        self.assertNotIn("--host", self.argv({"UVICORN_UDS": "/tmp/app.sock"}))

    def test_forwarded_allow_ips_is_the_servers_own(self):
        env = {"FORWARDED_ALLOW_IPS": "10.0.0.1"}
        self.assertNotIn("--forwarded-allow-ips", self.argv(env))
        self.assertNotIn("--forwarded-allow-ips", self.argv(env, process="gunicorn"))
        # Daphne trusts everyone or no one: a list it cannot honour means no one
        self.assertNotIn("--proxy-headers", self.argv(env, process="daphne"))

    def test_users_args_replace_ours(self):
        argv = self.argv(process="uvicorn", extra=["--workers", "1", "--lifespan", "on"])
        self.assertEqual(argv, UVICORN[:2] + ["--host", "0.0.0.0", "--port", "8080",
                                "--forwarded-allow-ips", "*", "--workers", "1", "--lifespan", "on", "main:app"])

    def test_gunicorn_cmd_args_and_config_file(self):
        self.assertNotIn("--worker-class", self.argv({"GUNICORN_CMD_ARGS": "-k uvicorn.workers.UvicornH11Worker"}, process="gunicorn"))
        self.write("gunicorn.conf.py", "workers = 2\nworker_class = 'uvicorn.workers.UvicornH11Worker'\n")
        argv = self.argv(process="gunicorn")
        self.assertNotIn("--workers", argv)
        self.assertNotIn("--worker-class", argv)

    def test_hypercorn_toml_config_named_by_the_user(self):
        self.write("hypercorn.toml", 'workers = 2\n"graceful_timeout" = 20\n\n[logging]\nbind = "x"\n')
        argv = self.argv(process="hypercorn", extra=["--config", "hypercorn.toml"])
        self.assertEqual(argv, HYPERCORN[:2] + ["--bind", "0.0.0.0:8080", "--access-logfile", "-",
                                "--error-logfile", "-", "--config", "hypercorn.toml", "main:app"])

    def test_hypercorn_python_config_and_no_config(self):
        self.write("hc.py", "bind = ['0.0.0.0:9000']\n")
        self.assertNotIn("--bind", self.argv(process="hypercorn", extra=["-c", "file:hc.py"]))
        self.assertEqual(self.argv(process="hypercorn", extra=["-c", "python:hc"])[2:4], ["--bind", "0.0.0.0:8080"])
        self.write("hypercorn.toml", "workers = 2\n")  # not read by hypercorn unless named
        self.assertEqual(self.argv(process="hypercorn"), HYPERCORN)


if __name__ == "__main__":
    unittest.main()
