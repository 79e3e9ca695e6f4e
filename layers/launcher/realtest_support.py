"""What the realtest_* files share: the venv under test (PYWARP_TEST_VENV) and a free port on 127.0.0.1."""
import json
import os
import socket
import subprocess


def venv_python():
    venv = os.environ.get("PYWARP_TEST_VENV")
    if not venv:
        raise AssertionError("PYWARP_TEST_VENV is not set; see the test file's docstring for how to run these tests")
    return os.path.join(venv, "bin", "python")


def free_port(family=socket.AF_INET, host="127.0.0.1"):
    with socket.socket(family) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def venv_json(test, script, *args):
    """What `script`, run with `args` by the venv's Python, prints as JSON; fails `test` if it exits non-zero."""
    out = subprocess.run([venv_python(), "-c", script, *args], capture_output=True, text=True, timeout=60)
    test.assertEqual(out.returncode, 0, out.stderr)
    return json.loads(out.stdout)
