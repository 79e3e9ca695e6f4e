"""The init: signal forwarding and translation, exit statuses, zombie reaping.

Each case runs `supervise` in its own Python process, so its signal handlers stay out of the test
runner. Reaping is checked with PR_SET_CHILD_SUBREAPER, which adopts orphans the way PID 1 does.
"""
import os
import signal
import subprocess
import sys
import textwrap
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from pywarp_init import exit_status  # noqa: E402

SUPERVISOR = textwrap.dedent(
    """
    import ctypes, signal, sys
    import pywarp_init
    ctypes.CDLL(None).prctl(36, 1)  # PR_SET_CHILD_SUBREAPER: orphans come to us, as to PID 1
    sys.exit(pywarp_init.supervise(%(argv)r, {"PATH": "/usr/bin:/bin"}, %(translate)r, %(escalate)r))
    """
)

# Prints "ready", then exits with the status its signal maps to.
CHILD = textwrap.dedent(
    """
    import os, signal, sys, time
    codes = {signal.SIGTERM: 43, signal.SIGUSR1: 42}
    for s in codes:
        signal.signal(s, lambda n, f: sys.exit(codes[n]))
    if "ignore-usr1" in sys.argv:
        signal.signal(signal.SIGUSR1, signal.SIG_IGN)
    print("ready", flush=True)
    time.sleep(30)
    """
)

# Orphans three grandchildren that exit at once, then reports the zombies its parent left.
ORPHANS = textwrap.dedent(
    """
    import os, time
    for _ in range(3):
        child = os.fork()
        if child == 0:
            if os.fork() == 0:
                os._exit(0)
            os._exit(0)
        os.waitpid(child, 0)  # our own child; its child is the orphan
    time.sleep(0.5)
    parent = os.getppid()
    zombies = 0
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            stat = open("/proc/%s/stat" % pid).read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        zombies += stat[0] == "Z" and int(stat[1]) == parent
    print(zombies, flush=True)
    """
)


def start(argv, translate=None, escalate=None, stderr=None):
    translate = {int(k): int(v) for k, v in (translate or {}).items()}
    code = SUPERVISOR % {"argv": argv, "translate": translate, "escalate": escalate}
    return subprocess.Popen([sys.executable, "-c", code], cwd=HERE, stdout=subprocess.PIPE, stderr=stderr, text=True)


class SuperviseTest(unittest.TestCase):
    def run_child(self, signum, translate=None, escalate=None, extra=()):
        proc = start([sys.executable, "-c", CHILD] + list(extra), translate, escalate, stderr=subprocess.PIPE)
        self.assertEqual(proc.stdout.readline(), "ready\n")
        proc.send_signal(signum)
        _, self.stderr = proc.communicate(timeout=10)
        return proc.returncode

    def test_forwards_sigterm(self):
        self.assertEqual(self.run_child(signal.SIGTERM), 43)

    def test_translates_a_signal(self):
        self.assertEqual(self.run_child(signal.SIGTERM, {signal.SIGTERM: signal.SIGUSR1}), 42)

    def test_kills_the_group_when_the_translated_signal_does_not_stop_it(self):
        started = time.monotonic()
        status = self.run_child(signal.SIGTERM, {signal.SIGTERM: signal.SIGUSR1}, 1, ["ignore-usr1"])
        self.assertEqual((status, self.stderr), (128 + signal.SIGKILL, "pywarp: not stopped within 1s; killing it\n"))
        self.assertGreaterEqual(time.monotonic() - started, 0.9)

    def test_exit_status_of_a_killed_child(self):
        proc = start([sys.executable, "-c", "import os, signal; os.kill(os.getpid(), signal.SIGKILL)"])
        self.assertEqual(proc.wait(timeout=10), 128 + signal.SIGKILL)
        proc.stdout.close()

    def test_a_missing_program_exits_127(self):
        proc = start(["/nonexistent/program"], stderr=subprocess.PIPE)
        _, err = proc.communicate(timeout=10)
        self.assertEqual((proc.returncode, err), (127, "pywarp: cannot run /nonexistent/program: No such file or directory\n"))

    def test_reaps_orphans(self):
        proc = start([sys.executable, "-c", ORPHANS])
        out, _ = proc.communicate(timeout=10)
        self.assertEqual((proc.returncode, out), (0, "0\n"))


class ExitStatusTest(unittest.TestCase):
    def test_codes_and_signals(self):
        self.assertEqual(exit_status(3 << 8), 3)
        self.assertEqual(exit_status(signal.SIGTERM), 128 + signal.SIGTERM)


if __name__ == "__main__":
    unittest.main()
