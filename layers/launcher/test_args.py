"""Splitting and expanding the user's args, and spotting the options that replace our defaults."""
import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from pywarp_args import (  # noqa: E402
    LaunchError,
    ascii_digits,
    compose,
    config_settings,
    env_option_args,
    fill,
    join,
    server_args_files,
    split_words,
    uses_option,
)


class SplitWordsTest(unittest.TestCase):
    def test_quotes_comments_and_variables(self):
        env = {"PORT": "8000", "NAME": "my app"}
        text = "--bind=:$PORT --name \"${NAME}\" --x '$MISSING'  # a comment\n--y a\\ b"
        self.assertEqual(split_words(text, env), ["--bind=:8000", "--name", "my app", "--x", "", "--y", "a b"])

    def test_bad_quoting(self):
        with self.assertRaisesRegex(LaunchError, "cannot split"):
            split_words("--name 'open", {})


class ServerArgsFilesTest(unittest.TestCase):
    def setUp(self):
        self.app = tempfile.mkdtemp()
        os.makedirs(os.path.join(self.app, ".warpdrive"))

    def test_one_file_for_every_server(self):
        path = os.path.join(self.app, ".warpdrive", "server_args")
        open(path, "w").close()
        self.assertEqual(server_args_files(self.app, "uwsgi"), [path])

    def test_a_directory_of_per_server_files(self):
        os.makedirs(os.path.join(self.app, ".warpdrive", "server_args"))
        path = os.path.join(self.app, ".warpdrive", "server_args", "uwsgi")
        open(path, "w").close()
        self.assertEqual(server_args_files(self.app, "uwsgi"), [path])
        self.assertEqual(server_args_files(self.app, "gunicorn"), [])

    def test_none(self):
        self.assertEqual(server_args_files(self.app, "gunicorn"), [])


class OptionsTest(unittest.TestCase):
    def test_uses_option(self):
        cases = [
            (["--workers", "3"], ["-w", "--workers"], True),
            (["--workers=3"], ["--workers"], True),
            (["-w3"], ["-w"], True),
            (["--workers-x"], ["--workers"], False),
            (["--bind"], ["-b"], False),
            ([], ["--bind"], False),
        ]
        for args, names, expected in cases:
            with self.subTest(args=args, names=names):
                self.assertEqual(uses_option(args, names), expected)

    def test_env_option_args(self):
        options = [["MOD_WSGI_THREADS", ["--threads", "{value}"]], ["MOD_WSGI_ACCESS_LOG", ["--access-log"]]]
        self.assertEqual(env_option_args(options, {"MOD_WSGI_THREADS": "9", "MOD_WSGI_ACCESS_LOG": ""}), ["--threads", "9"])

    def test_fill(self):
        self.assertEqual(fill(["{host}:{port}", "plain"], {"host": "::1", "port": 80}), ["::1:80", "plain"])


class WithoutReTest(unittest.TestCase):
    """What every start does without re and shlex gives what they give."""

    def test_fill_as_re_sub_of_word_placeholders(self):
        import re

        values = {"a": "A", "b_2": "B", "\u00e9t\u00e9": "E", "_": "U", "\u00b2": "S"}
        for arg in ["{a}", "x{a}y{b_2}z", "{a}}", "{{a}}", "{a{b_2}", "{}", "{a b}", "{a-b}", "{", "}", "a{",
                    "{\u00e9t\u00e9}", "{_}", "{\u00b2}", "%({x-forwarded-for}i)s", "{a}{a}", ""]:
            with self.subTest(arg):
                expected = re.sub(r"\{(\w+)\}", lambda m: values[m.group(1)], arg)
                self.assertEqual(fill([arg], values), [expected])

    def test_join_as_shlex_join(self):
        import shlex

        words = ["", "a", "a b", "it's", "*", "--bind=0.0.0.0:8080", "@%+=:,./-_", "$HOME", "a\nb", "\u00e9",
                 "'", '"', "unix_signal:15 gracefully_kill_them_all", "\\", "~", "a;b", "x\ty"]
        for word in words:
            with self.subTest(word):
                self.assertEqual(join([word, "next"]), shlex.join([word, "next"]))
        self.assertEqual(join([]), shlex.join([]))

    def test_ascii_digits(self):
        for text, expected in [("0", True), ("8080", True), ("", False), ("\u00b2", False), ("\u0661", False),
                               ("1 ", False), ("-1", False), ("+1", False), ("1_000", False), ("12a", False)]:
            with self.subTest(text):
                self.assertEqual(ascii_digits(text), expected)


class ConfigSettingsTest(unittest.TestCase):
    SPEC = {"config_file": {"default": "gunicorn.conf.py", "options": ["-c", "--config"]}}

    def setUp(self):
        self.app = tempfile.mkdtemp()

    def write(self, name, text):
        with open(os.path.join(self.app, name), "w") as f:
            f.write(text)

    def test_top_level_assignments(self):
        self.write("gunicorn.conf.py", "import multiprocessing\nworkers = 2\nbind: str = ':1'\ndef post_fork(s, w):\n    timeout = 1\n")
        self.assertEqual(config_settings(self.SPEC, self.app, []), {"workers", "bind"})

    def test_file_named_by_option(self):
        self.write("g.py", "threads = 2\n")
        self.assertEqual(config_settings(self.SPEC, self.app, ["--config=g.py"]), {"threads"})
        self.assertEqual(config_settings(self.SPEC, self.app, ["-c", "g.py"]), {"threads"})

    def test_unreadable_or_module_form(self):
        self.write("gunicorn.conf.py", "workers = (\n")
        self.assertEqual(config_settings(self.SPEC, self.app, []), set())
        self.assertEqual(config_settings(self.SPEC, self.app, ["-c", "python:conf"]), set())
        self.assertEqual(config_settings({}, self.app, []), set())


class ComposeTest(unittest.TestCase):
    SPEC = {
        "command": ["srv"],
        "options": [
            {"args": ["--port", "{port}"], "unless": {"options": ["--port"], "env": ["SRV_PORT"]}},
            {"args": ["--shm"], "when": "dev_shm"},
            {"args": ["--workers", "{processes}"], "unless": {"settings": ["workers"]}},
        ],
        "app": [{"args": ["app:main"], "unless": {"settings": ["app"]}}],
    }

    def compose(self, user=(), detect=(), env=None, settings=(), conditions=("dev_shm",)):
        values = {"port": 80, "processes": 3}
        return compose(self.SPEC, list(user), list(detect), env or {}, set(settings), set(conditions), values)

    def test_defaults_then_user_args_then_app(self):
        self.assertEqual(self.compose(user=["--x"]), ["srv", "--port", "80", "--shm", "--workers", "3", "--x", "app:main"])

    def test_each_kind_of_override(self):
        self.assertEqual(self.compose(detect=["--port=1"], conditions=()), ["srv", "--workers", "3", "app:main"])
        self.assertEqual(self.compose(env={"SRV_PORT": "1"}, settings=["workers", "app"]), ["srv", "--shm"])


if __name__ == "__main__":
    unittest.main()
