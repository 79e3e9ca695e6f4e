"""Finding the Apache httpd that mod_wsgi-express would run, from a fake venv."""
import os
import shutil
import stat
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import pywarp_apache  # noqa: E402

# The shape of mod_wsgi's generated apxs_config.py.
APXS_CONFIG = """
import os
import posixpath

WITH_HTTPD_PACKAGE = %(package)s

if WITH_HTTPD_PACKAGE:
    from mod_wsgi_packages.httpd import __file__ as PACKAGES_ROOTDIR
    PACKAGES_ROOTDIR = posixpath.dirname(PACKAGES_ROOTDIR)
    BINDIR = posixpath.join(PACKAGES_ROOTDIR, 'bin')
    SBINDIR = BINDIR
else:
    BINDIR = '%(bin)s'
    SBINDIR = '%(sbin)s'

PROGNAME = 'apache2'
"""


# A whole generated apxs_config.py (mod_wsgi 5.0, Debian's apache2), its constants read by ast and by pywarp.
REAL_APXS_CONFIG = """
import os
import posixpath

WITH_HTTPD_PACKAGE = False

if WITH_HTTPD_PACKAGE:
    from mod_wsgi_packages.httpd import __file__ as PACKAGES_ROOTDIR
    PACKAGES_ROOTDIR = posixpath.dirname(PACKAGES_ROOTDIR)
    BINDIR = posixpath.join(PACKAGES_ROOTDIR, 'bin')
    SBINDIR = BINDIR
    LIBEXECDIR = posixpath.join(PACKAGES_ROOTDIR, 'modules')
    SHLIBPATH = posixpath.join(PACKAGES_ROOTDIR, 'lib')
else:
    BINDIR = '/usr/bin'
    SBINDIR = '/usr/sbin'
    LIBEXECDIR = '/usr/lib/apache2/modules'
    SHLIBPATH = ''

MPM_NAME = ''
PROGNAME = 'apache2'
SHLIBPATH_VAR = 'LD_LIBRARY_PATH'

if os.path.exists(posixpath.join(SBINDIR, PROGNAME)):
    HTTPD = posixpath.join(SBINDIR, PROGNAME)
elif os.path.exists(posixpath.join(BINDIR, PROGNAME)):
    HTTPD = posixpath.join(BINDIR, PROGNAME)
else:
    HTTPD = PROGNAME
"""


def apache_problem(venv, env, installed):
    return pywarp_apache.apache_problem(venv, env, installed, extra_dirs=())  # not this machine's /usr/sbin


class ApacheProblemTest(unittest.TestCase):
    def setUp(self):
        self.root = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, self.root)
        self.venv = os.path.join(self.root, "venv")
        self.sbin = os.path.join(self.root, "sbin")
        self.shell_dir = os.path.join(self.root, "bin")
        os.makedirs(self.shell_dir)
        self.executable(os.path.join(self.shell_dir, "sh"))
        self.env = {"PATH": self.shell_dir}

    def executable(self, path):
        os.makedirs(os.path.dirname(path), exist_ok=True)
        open(path, "w").close()
        os.chmod(path, stat.S_IRWXU)

    def venv_built_for(self, package=False):
        site = os.path.join(self.venv, "lib", "python3.11", "site-packages")
        os.makedirs(os.path.join(site, "mod_wsgi", "server"))
        with open(os.path.join(site, "mod_wsgi", "server", "apxs_config.py"), "w") as f:
            f.write(APXS_CONFIG % {"package": package, "bin": "/nonexistent/bin", "sbin": self.sbin})
        return site

    def test_the_httpd_mod_wsgi_was_built_for(self):
        self.venv_built_for()
        self.assertIn("looked for %s/apache2, /nonexistent/bin/apache2, apache2)" % self.sbin,
                      apache_problem(self.venv, self.env, ["mod_wsgi"]))
        self.executable(os.path.join(self.sbin, "apache2"))
        self.assertIsNone(apache_problem(self.venv, self.env, ["mod_wsgi"]))

    def test_found_on_path(self):
        self.venv_built_for()
        self.executable(os.path.join(self.shell_dir, "apache2"))
        self.assertIsNone(apache_problem(self.venv, self.env, ["mod_wsgi"]))

    def test_httpd_variable_wins(self):
        self.venv_built_for()
        self.executable(os.path.join(self.sbin, "apache2"))
        self.assertIn("looked for /nonexistent/httpd)", apache_problem(self.venv, dict(self.env, HTTPD="/nonexistent/httpd"), []))

    def test_httpd_inside_the_venv(self):
        site = self.venv_built_for(package=True)
        self.executable(os.path.join(site, "mod_wsgi_packages", "httpd", "bin", "apache2"))
        self.assertIsNone(apache_problem(self.venv, self.env, ["mod_wsgi"]))

    def test_no_shell(self):
        self.venv_built_for()
        self.executable(os.path.join(self.sbin, "apache2"))
        problem = apache_problem(self.venv, {"PATH": os.path.join(self.root, "empty")}, ["mod_wsgi", "gunicorn"])
        self.assertEqual(
            problem,
            "mod_wsgi-express cannot start: the run image has no shell (bash or sh) for its apachectl script. "
            "Use a run image with Apache (on Debian and Ubuntu: the apache2-bin package), set HTTPD to its path, "
            "or pick another installed server with PYWARP_SERVER_TYPE (gunicorn).",
        )


class ConstantsTest(unittest.TestCase):
    def constants(self, text):
        directory = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, directory)
        path = os.path.join(directory, "apxs_config.py")
        with open(path, "w") as f:
            f.write(text)
        return pywarp_apache._constants(path)

    def test_the_same_as_ast_on_a_generated_file(self):
        import ast

        tree = ast.parse(REAL_APXS_CONFIG)
        expected = {node.targets[0].id: node.value.value for node in ast.walk(tree)
                    if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name)
                    and isinstance(node.value, ast.Constant)}
        self.assertEqual(self.constants(REAL_APXS_CONFIG), expected)

    def test_lines(self):
        for line, expected in (
            ("A = 'x'", {"A": "x"}),
            ('    B = "/usr/sbin"', {"B": "/usr/sbin"}),
            ("C = True", {"C": True}),
            ("D = ''", {"D": ""}),
            ("E = 'it''s'", {}),  # not one plain string
            ("F = 'a\\'b'", {}),  # an escape: not read
            ("G = posixpath.join(X, 'bin')", {}),
            ("H = I", {}),
            ("# J = 'x'", {}),
            ("K == 'x'", {}),
        ):
            with self.subTest(line):
                self.assertEqual(self.constants(line + "\n"), expected)


if __name__ == "__main__":
    unittest.main()
