"""pywarp_wsgi's start gate: the first process imports the app alone, the others after it."""
import fcntl
import os
import subprocess
import sys
import tempfile
import textwrap
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

os.environ.setdefault("PYWARP_WSGI_APP", "os:sep")  # importing the module loads an app: any attribute will do
from pywarp_wsgi import enter_gate  # noqa: E402


class GateTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp()
        self.lock = os.path.join(self.dir, "pywarp-start.lock")
        open(self.lock, "w").close()

    def test_the_first_process_imports_alone_the_others_after_it(self):
        # Each import notes when it began and ended (monotonic clock, shared by the processes).
        with open(os.path.join(self.dir, "slowapp.py"), "w") as f:
            f.write(textwrap.dedent("""\
                import os, time
                began = time.monotonic()
                time.sleep(0.3)
                with open(os.environ["NOTES"], "a") as f:
                    f.write("%r %r\\n" % (began, time.monotonic()))
                application = None
            """))
        env = {"PYTHONPATH": HERE + ":" + self.dir, "PYWARP_WSGI_APP": "slowapp:application",
               "PYWARP_START_GATE": self.lock, "NOTES": os.path.join(self.dir, "notes")}
        procs = [subprocess.Popen([sys.executable, "-I", "-c", "import sys; sys.path[:0] = %r; import pywarp_wsgi"
                                   % env["PYTHONPATH"].split(":")], env=env) for _ in range(4)]
        for p in procs:
            self.assertEqual(p.wait(timeout=30), 0)
        with open(env["NOTES"]) as f:
            spans = sorted(tuple(map(float, line.split())) for line in f)
        self.assertEqual(len(spans), 4)
        first_end = spans[0][1]
        self.assertTrue(all(began >= first_end for began, _ in spans[1:]), spans)

    def test_a_gate_never_opened_is_waited_for_a_bounded_time(self):
        holder = os.open(self.lock, os.O_RDONLY)
        fcntl.flock(holder, fcntl.LOCK_EX)
        try:
            self.assertIsNone(enter_gate(self.lock, seconds=0.2))
        finally:
            os.close(holder)

    def test_no_gate_without_the_variable_or_the_file(self):
        self.assertIsNone(enter_gate(None))
        self.assertIsNone(enter_gate(""))
        self.assertIsNone(enter_gate(os.path.join(self.dir, "missing.lock")))

    def test_the_first_keeps_the_lock_until_it_closes_it(self):
        fd = enter_gate(self.lock)
        self.assertIsNotNone(fd)
        other = os.open(self.lock, os.O_RDONLY)
        try:
            with self.assertRaises(OSError):
                fcntl.flock(other, fcntl.LOCK_SH | fcntl.LOCK_NB)
            os.close(fd)
            fcntl.flock(other, fcntl.LOCK_SH | fcntl.LOCK_NB)
        finally:
            os.close(other)


if __name__ == "__main__":
    unittest.main()
