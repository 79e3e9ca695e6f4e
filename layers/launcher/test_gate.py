"""The start gate (pywarp_gate): the first process imports the app alone, the others after it."""
import fcntl
import os
import subprocess
import sys
import tempfile
import textwrap
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from pywarp_gate import enter_gate  # noqa: E402

# Each span notes when it began and ended (monotonic clock, shared by the processes).
NOTE = """\
def note(what, began):
    import os, time
    with open(os.environ["NOTES"], "a") as f:
        f.write("%s %d %r %r\\n" % (what, os.getpid(), began, time.monotonic()))
"""


class GateTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp()
        self.lock = os.path.join(self.dir, "pywarp-start.lock")
        open(self.lock, "w").close()
        with open(os.path.join(self.dir, "notes.py"), "w") as f:
            f.write(NOTE)
        with open(os.path.join(self.dir, "slowapp.py"), "w") as f:
            f.write(textwrap.dedent("""\
                import time
                from notes import note
                began = time.monotonic()
                time.sleep(0.3)
                note("app", began)
                application = None
            """))
        self.env = {"PYWARP_WSGI_APP": "slowapp:application", "PYWARP_START_GATE": self.lock,
                    "NOTES": os.path.join(self.dir, "notes")}

    def run_four(self, code):
        """Four processes at once, each with the launcher's and the app's directories on sys.path."""
        prelude = "import sys; sys.path[:0] = %r\n" % [HERE, self.dir]
        procs = [subprocess.Popen([sys.executable, "-I", "-S", "-c", prelude + code], env=self.env) for _ in range(4)]
        for p in procs:
            self.assertEqual(p.wait(timeout=30), 0)
        spans = {}
        with open(self.env["NOTES"]) as f:
            for line in f:
                what, pid, began, ended = line.split()
                spans.setdefault(int(pid), {})[what] = (float(began), float(ended))
        self.assertEqual(len(spans), 4)
        return sorted(spans.values(), key=lambda s: s["app"][0])

    def test_the_first_process_imports_alone_the_others_after_it(self):
        first, *others = self.run_four("import pywarp_wsgi")
        self.assertTrue(all(s["app"][0] >= first["app"][1] for s in others), (first, others))

    def test_a_mod_wsgi_daemon_enters_it_from_the_pth_before_its_handlers_imports(self):
        # What mod_wsgi-express's --python-path does in a daemon, then its handler's slow import of
        # mod_wsgi.server, then the entry point: the others' handler imports wait for the first's app.
        first, *others = self.run_four(textwrap.dedent("""\
            import site, time
            site.addsitedir(%r)
            from notes import note
            began = time.monotonic()
            time.sleep(0.2)
            note("handler", began)
            import pywarp_wsgi
        """ % HERE))
        self.assertTrue(all(s["handler"][0] >= first["app"][1] for s in others), (first, others))

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
