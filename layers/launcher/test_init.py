"""The init: signal forwarding and translation, exit statuses, zombie reaping.

Each case runs `supervise` in its own Python process, so its signal handlers stay out of the test
runner. Reaping is checked with PR_SET_CHILD_SUBREAPER, which adopts orphans the way PID 1 does.
"""
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import textwrap
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import pywarp_init  # noqa: E402
from pywarp_init import Stop, exit_status, signal_name  # noqa: E402

SUPERVISOR = textwrap.dedent(
    """
    import ctypes, signal, sys
    import pywarp_init
    pywarp_init.block_signals()  # as pywarp_launch does first
    ctypes.CDLL(None).prctl(36, 1)  # PR_SET_CHILD_SUBREAPER: orphans come to us, as to PID 1
    stop = pywarp_init.Stop(*%(stop)r)
    if %(spawns)r is not None:
        pywarp_init._spawns = lambda foreground: %(spawns)r
    sys.exit(pywarp_init.supervise(%(argv)r, {"PATH": "/usr/bin:/bin"}, stop, %(kill_after)r, "the test's"))
    """
)

# Prints "started", sleeps `delay` before its handlers are in place, prints "ready", then exits with the
# status its signal maps to. "ignore-term": ignores SIGTERM instead.
CHILD = textwrap.dedent(
    """
    import os, signal, sys, time
    print("started", flush=True)
    time.sleep(float(sys.argv[1]))
    codes = {signal.SIGTERM: 43, signal.SIGUSR1: 42}
    for s in codes:
        signal.signal(s, lambda n, f: sys.exit(codes[n]))
    if "ignore-term" in sys.argv:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
    print("ready", flush=True)
    time.sleep(30)
    """
)

# Makes the FIFO after a while, as uWSGI's master does once its loop runs, and exits with what it reads.
FIFO_READER = textwrap.dedent(
    """
    import os, sys, time
    print("started", flush=True)
    time.sleep(0.5)
    os.mkfifo(sys.argv[1])
    fd = os.open(sys.argv[1], os.O_RDONLY | os.O_NONBLOCK)
    for _ in range(500):
        try:
            data = os.read(fd, 10)
        except BlockingIOError:  # the launcher has opened it but not written yet
            data = b""
        if data:
            sys.exit(ord(data[:1]))
        time.sleep(0.01)
    """
)

# Says which signal ended it, if any, on the stdout it shares with the launcher.
SAYS_SIGTERM = textwrap.dedent(
    """
    import os, signal, sys, time
    signal.signal(signal.SIGTERM, lambda n, f: (print("SIGTERM", flush=True), sys.exit(0)))
    print(os.getpid(), flush=True)
    time.sleep(30)
    """
)

# Listens and accepts one connection only after a while; exits 0 if SIGTERM came after that, else 1.
SLOW_ACCEPTER = textwrap.dedent(
    """
    import signal, socket, sys, time
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    accepted = []
    signal.signal(signal.SIGTERM, lambda n, f: sys.exit(0 if accepted else 1))
    print(listener.getsockname()[1], flush=True)
    time.sleep(0.5)
    accepted.append(listener.accept())
    time.sleep(30)
    """
)

# A master with a worker in its process group; SIGQUIT ends the master at once (core), as it does Apache.
MASTER = textwrap.dedent(
    """
    import os, time
    worker = os.fork()
    if worker == 0:
        time.sleep(30)
        os._exit(0)
    print(worker, flush=True)
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


def start(argv, stop=("direct",), kill_after=None, stderr=None, spawns=None):
    """spawns: True or False to start the child with posix_spawn or fork whether or not the launcher is
    PID 1; None to let it decide."""
    stop = tuple(int(v) if isinstance(v, signal.Signals) else v for v in stop)
    code = SUPERVISOR % {"argv": argv, "stop": stop, "kill_after": kill_after, "spawns": spawns}
    return subprocess.Popen([sys.executable, "-c", code], cwd=HERE, stdout=subprocess.PIPE, stderr=stderr, text=True)


def running(pid):
    """Whether pid is a live process (not gone, not a zombie)."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


class SuperviseTest(unittest.TestCase):
    """The child forked, as when the launcher is not PID 1."""

    SPAWNS = False

    def start(self, argv, stop=("direct",), kill_after=None, stderr=None):
        return start(argv, stop, kill_after, stderr, spawns=self.SPAWNS)

    def run_child(self, signum, stop=("direct",), kill_after=None, delay=0, extra=(), wait_for="ready\n"):
        argv = [sys.executable, "-c", CHILD, str(delay)] + list(extra)
        proc = self.start(argv, stop, kill_after, stderr=subprocess.PIPE)
        self.assertEqual(proc.stdout.readline(), "started\n")
        if wait_for == "ready\n":
            self.assertEqual(proc.stdout.readline(), "ready\n")
        proc.send_signal(signum)
        _, self.stderr = proc.communicate(timeout=15)
        return proc.returncode

    def test_forwards_sigterm(self):
        self.assertEqual(self.run_child(signal.SIGTERM), 43)

    def test_direct_sigterm_before_the_handler_kills_it(self):
        """The control for the next test: a program's own SIGTERM handling decides."""
        status = self.run_child(signal.SIGTERM, delay=0.5, wait_for="started\n")
        self.assertEqual(status, 128 + signal.SIGTERM)

    def test_holds_sigterm_until_the_process_catches_it(self):
        status = self.run_child(signal.SIGTERM, ("signal", signal.SIGTERM), delay=0.5, wait_for="started\n")
        self.assertEqual(status, 43)

    def test_translates_a_signal_once_it_is_caught(self):
        status = self.run_child(signal.SIGTERM, ("signal", signal.SIGUSR1), delay=0.5, wait_for="started\n")
        self.assertEqual(status, 42)

    def test_other_signals_pass_at_once(self):
        self.assertEqual(self.run_child(signal.SIGUSR1, ("signal", signal.SIGTERM)), 42)

    def test_writes_to_the_fifo_once_it_has_a_reader(self):
        with tempfile.TemporaryDirectory() as d:
            fifo = os.path.join(d, "stop.fifo")
            proc = self.start([sys.executable, "-c", FIFO_READER, fifo], ("fifo", signal.SIGTERM, fifo, b"q"))
            self.assertEqual(proc.stdout.readline(), "started\n")
            proc.send_signal(signal.SIGTERM)
            proc.communicate(timeout=15)
        self.assertEqual(proc.returncode, ord("q"))

    def test_a_queued_connection_is_accepted_before_the_stop_is_passed_on(self):
        proc = self.start([sys.executable, "-c", SLOW_ACCEPTER], ("signal", signal.SIGTERM))
        port = int(proc.stdout.readline())
        with socket.create_connection(("127.0.0.1", port)):  # queued: not accepted yet
            proc.send_signal(signal.SIGTERM)
            self.assertEqual(proc.wait(timeout=10), 0)
        proc.stdout.close()

    def test_kills_the_group_when_a_stop_signal_does_not_stop_it(self):
        started = time.monotonic()
        status = self.run_child(signal.SIGTERM, kill_after=1, extra=["ignore-term"])
        message = "pywarp: still running 1s after SIGTERM; killing it and its process group (the test's)\n"
        self.assertEqual((status, self.stderr), (128 + signal.SIGKILL, message))
        self.assertGreaterEqual(time.monotonic() - started, 0.9)

    def test_nothing_of_the_group_outlives_the_process(self):
        proc = self.start([sys.executable, "-c", MASTER])
        worker = int(proc.stdout.readline())
        proc.send_signal(signal.SIGQUIT)
        self.assertEqual(proc.wait(timeout=10), 128 + signal.SIGQUIT)
        proc.stdout.close()
        deadline = time.monotonic() + 5
        while running(worker) and time.monotonic() < deadline:
            time.sleep(0.05)
        self.assertFalse(running(worker))

    def test_exit_status_of_a_killed_child(self):
        proc = self.start([sys.executable, "-c", "import os, signal; os.kill(os.getpid(), signal.SIGKILL)"])
        self.assertEqual(proc.wait(timeout=10), 128 + signal.SIGKILL)
        proc.stdout.close()

    def test_a_missing_program_exits_127(self):
        proc = self.start(["/nonexistent/program"], stderr=subprocess.PIPE)
        _, err = proc.communicate(timeout=10)
        self.assertEqual((proc.returncode, err), (127, "pywarp: cannot run /nonexistent/program: No such file or directory\n"))

    def test_reaps_orphans(self):
        proc = self.start([sys.executable, "-c", ORPHANS])
        out, _ = proc.communicate(timeout=10)
        self.assertEqual((proc.returncode, out), (0, "0\n"))

    def test_a_killed_launcher_leaves_its_child_a_sigterm(self):
        proc = self.start([sys.executable, "-c", SAYS_SIGTERM])
        child = int(proc.stdout.readline())
        self.addCleanup(lambda: running(child) and os.kill(child, signal.SIGKILL))
        proc.kill()
        out, _ = proc.communicate(timeout=10)  # the end of the output: the child has exited too
        self.assertEqual(out, "SIGTERM\n")


class SpawnedSuperviseTest(SuperviseTest):
    """The same with the child started by posix_spawn, as when the launcher is PID 1."""

    SPAWNS = True
    # PR_SET_PDEATHSIG is the forked child's: as PID 1 the launcher takes its whole PID namespace along.
    test_a_killed_launcher_leaves_its_child_a_sigterm = None


# The launcher with a watch on its child's stderr; the child reports how it was started, on that stderr.
WATCHED = textwrap.dedent(
    """
    import sys
    sys.path.insert(0, sys.argv[1])
    import pywarp_init, pywarp_watch
    pywarp_init.block_signals()
    pywarp_watch.STARTUP_SECONDS = 0
    argv = ["/bin/sh", "-c", sys.argv[2], sys.executable]
    status = pywarp_init.supervise(argv, {"PATH": "/usr/bin:/bin"}, watch=pywarp_watch.Watch("web", "app", argv))
    print("the launcher imported _ctypes: %r" % ("_ctypes" in sys.modules), file=sys.stderr)
    sys.exit(status)
    """
)
# The signals its own children get (Python ignores SIGPIPE and SIGXFSZ as it starts: not Python), then the rest.
CHILD_STATE = textwrap.dedent(
    """
    blocked=$(sed -n 's/^SigBlk:[[:space:]]*//p' /proc/self/status)
    ignored=$(sed -n 's/^SigIgn:[[:space:]]*//p' /proc/self/status)
    echo "blocked $blocked, SIGPIPE and SIGXFSZ ignored $(( 0x$ignored >> 12 & 1 )) $(( 0x$ignored >> 24 & 1 ))" >&2
    exec "$0" -c '
    import ctypes, os, stat
    death = ctypes.c_int()
    ctypes.CDLL(None).prctl(2, ctypes.byref(death), 0, 0, 0)  # PR_GET_PDEATHSIG
    state = os.getpgrp() == os.getpid(), death.value, stat.S_ISFIFO(os.fstat(2).st_mode)
    os.write(2, b"own group, death signal, stderr a pipe: %r\\n" % (state,))'
    """
)


SIGNALS = "blocked 0000000000000000, SIGPIPE and SIGXFSZ ignored 0 0\n"
CTYPES = "the launcher imported _ctypes: %r\n"


class ChildStateTest(unittest.TestCase):
    """The child starts with the signals and stderr the launcher got, in a process group of its own,
    forked or spawned."""

    def child_state(self, argv):
        with tempfile.TemporaryFile() as err:  # the launcher's stderr is no pipe: the child's is the watch's
            done = subprocess.run(argv + [sys.executable, "-I", "-c", WATCHED, HERE, CHILD_STATE],
                                  stdin=subprocess.DEVNULL, stderr=err, timeout=30)
            err.seek(0)
            return done.returncode, err.read().decode()

    def test_forked_it_gets_a_sigterm_should_the_launcher_die(self):
        expected = SIGNALS + "own group, death signal, stderr a pipe: (True, 15, True)\n" + CTYPES % True
        self.assertEqual(self.child_state([]), (0, expected))

    @unittest.skipUnless(shutil.which("unshare"), "needs unshare (util-linux)")
    def test_spawned_as_pid_1_where_its_namespace_dies_with_the_launcher(self):
        # nor does it import _ctypes for the prctl calls (PID 1 reaps orphans as it is)
        expected = SIGNALS + "own group, death signal, stderr a pipe: (True, 0, True)\n" + CTYPES % False
        self.assertEqual(self.child_state(["unshare", "--pid", "--fork", "--mount-proc", "--kill-child"]), (0, expected))


class ProgramPathTest(unittest.TestCase):
    def test_table(self):
        d = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, d)
        for name, mode in (("a/prog", 0o755), ("b/prog", 0o755), ("c/prog", 0o644), ("d/prog/x", 0o644)):
            os.makedirs(os.path.dirname(os.path.join(d, name)), exist_ok=True)
            with open(os.path.join(d, name), "w"):
                pass
            os.chmod(os.path.join(d, name), mode)
        path = lambda *dirs: {"PATH": ":".join(os.path.join(d, x) for x in dirs)}  # noqa: E731
        for name, env, expected in (
            ("prog", path("a", "b"), os.path.join(d, "a/prog")),
            ("prog", path("c", "d", "b"), os.path.join(d, "b/prog")),  # not executable; a directory
            ("prog", path("c", "d"), None),
            ("./prog", path("a"), "./prog"),  # a path is run as it is, found or not
            ("/no/such/prog", path("a"), "/no/such/prog"),
        ):
            with self.subTest(name=name, env=env):
                self.assertEqual(pywarp_init._program_path(name, env), expected)


# Becomes a subreaper as supervise does, then has a child that leaves an orphan: adopted, it is ours to reap.
SUBREAPER = textwrap.dedent(
    """
    import os, sys
    sys.path.insert(0, sys.argv[1])
    import pywarp_init
    pywarp_init._become_subreaper()
    child = os.fork()
    if child == 0:
        os.fork()
        os._exit(0)
    os.waitpid(child, 0)
    try:
        os.waitpid(-1, 0)
        print("adopted")
    except ChildProcessError:
        print("not adopted")
    """
)


class SubreaperTest(unittest.TestCase):
    def test_adopts_the_orphans_of_its_children(self):
        out = subprocess.run([sys.executable, "-I", "-c", SUBREAPER, HERE], stdout=subprocess.PIPE, text=True, timeout=20).stdout
        self.assertEqual(out, "adopted\n")


class ExitStatusTest(unittest.TestCase):
    def test_codes_and_signals(self):
        self.assertEqual(exit_status(3 << 8), 3)
        self.assertEqual(exit_status(signal.SIGTERM), 128 + signal.SIGTERM)


if __name__ == "__main__":
    unittest.main()


class SignalNumbersTest(unittest.TestCase):
    """The launcher holds signals as plain numbers (_signal); names only for messages."""

    def test_a_stop_is_the_same_with_a_number_or_a_signal_member(self):
        self.assertEqual(Stop("signal", 28), Stop("signal", signal.SIGWINCH))
        self.assertNotEqual(Stop("signal", 15), Stop("signal", signal.SIGWINCH))

    def test_names(self):
        self.assertEqual([signal_name(15), signal_name(9), signal_name(0), signal_name(200)], ["SIGTERM", "SIGKILL", None, None])
