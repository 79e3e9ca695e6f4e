"""Starting the final process: exec it, or stay as its parent to pass signals on, stop it and reap zombies.

The launcher stays as parent for every server, and for a program when it is PID 1 and does not reap
children (an orphan's zombie would stay forever). As parent it:
- takes signals synchronously: they are blocked from the launcher's first line (block_signals) and
  taken with sigtimedwait, so none is lost, not even one sent while the launcher itself starts;
- passes SIGTERM on only once the server can take it gracefully (see Stop), so that a SIGTERM in the
  server's first instant stops it gracefully too;
- after a stop signal, kills the process group when it has not stopped within `kill_after` seconds;
- when the process ends, for whatever reason, kills what is left of it (the workers of a master that
  died, even those in a process group of their own: as a child subreaper the launcher adopts them), so
  that nothing of the server outlives the launcher;
- should the launcher itself be killed (SIGKILL: nothing to pass on), the kernel sends the process a
  SIGTERM (PR_SET_PDEATHSIG), so that it stops as on any SIGTERM, rather than running on unstopped; as
  PID 1 it needs none (the kernel kills the launcher's whole PID namespace with it), and the child is
  started with posix_spawn rather than forked (see _spawn).
"""
import os
import time

# The C module, not `signal`: that one imports enum, and with re, json and threading (see pywarp_main)
# the common modules they pull in cost every start as much as Python's own start. Signals are numbers here.
import _signal

# Every signal that would end the launcher is passed on, but for faults, job control and the terminal's
# resize (the child has the terminal; SIGWINCH is Apache's graceful stop). Python ignores SIGPIPE and
# SIGXFSZ; the child gets them back (restore_signals).
_KEPT = {
    _signal.SIGKILL, _signal.SIGSTOP, _signal.SIGCHLD, _signal.SIGCONT, _signal.SIGURG, _signal.SIGWINCH,
    _signal.SIGTSTP, _signal.SIGTTIN, _signal.SIGTTOU, _signal.SIGSEGV, _signal.SIGBUS, _signal.SIGFPE,
    _signal.SIGILL, _signal.SIGTRAP, _signal.SIGABRT, _signal.SIGSYS, _signal.SIGPIPE, _signal.SIGXFSZ,
}
FORWARDED = frozenset(_signal.valid_signals() - _KEPT)
# A stop signal starts the kill_after clock.
STOPS = (_signal.SIGTERM, _signal.SIGINT, _signal.SIGQUIT)
_HANDLED = FORWARDED | {_signal.SIGCHLD}
# How often a held SIGTERM is retried while the server starts.
_POLL = 0.02
_WORKERS_WAIT = 3.0
_DRAIN_WAIT = 2.0
_IDLE = 60.0
_PYTHON_IGNORES = tuple(getattr(_signal, n) for n in ("SIGPIPE", "SIGXFSZ") if hasattr(_signal, n))
_PR_SET_PDEATHSIG = 1
_PR_SET_CHILD_SUBREAPER = 36
# Rounds of killing the launcher's children (each round's orphans come to it next).
_CLEANUP_ROUNDS = 20
_original_mask = None
_prctl_function = None


class Stop:
    """How a SIGTERM reaches the process, race-free from its first instant.

    via "direct": passed on at once (a program; its own handler, if any, decides).
    Either way a server is first given up to _DRAIN_WAIT seconds to accept the connections queued on its
    listening sockets (servers that accept only when a worker is free, like uWSGI, would reset them).
    via "signal": `signum` (SIGTERM, or SIGWINCH for Apache) is sent once the process catches it (its
    SigCgt in /proc); until then the launcher holds it, as the default action would kill it or be lost.
    via "fifo": `command` is written to uWSGI's master FIFO at `fifo` once it has a reader (the master
    opens it only in its main loop, where a graceful stop works) and the workers are set up: the master
    stops them with SIGHUP, which a worker ignores until it is. Workers are the master's children running
    its program; they are waited for at most _WORKERS_WAIT seconds (uWSGI's gateways ignore SIGHUP).
    """

    def __init__(self, via="direct", signum=_signal.SIGTERM, fifo=None, command=b"q"):
        self.via, self.signum, self.fifo, self.command = via, signum, fifo, command

    def __repr__(self):
        return "Stop(%r, %d, %r, %r)" % (self.via, self.signum, self.fifo, self.command)

    def __eq__(self, other):
        return isinstance(other, Stop) and repr(self) == repr(other)


def block_signals():
    """Blocks every signal the launcher takes; the first thing it does. Idempotent."""
    global _original_mask
    previous = _signal.pthread_sigmask(_signal.SIG_BLOCK, _HANDLED)
    if _original_mask is None:
        _original_mask = previous


def exec_process(argv, env):
    restore_signals()
    os.execvpe(argv[0], argv, env)


def supervise(argv, env, stop=None, kill_after=None, kill_note="", foreground=False, watch=None):
    """Runs argv as a child and returns its exit status (128 + N when killed by signal N).

    kill_after: seconds after the first stop signal before the child's process group is killed;
    kill_note: what set it, for the message; foreground: give it the terminal, as tini does;
    watch: a pywarp_watch.Watch, which sees the child's stderr and may turn its exit status into
    the launcher's own.
    """
    block_signals()
    _become_subreaper()
    stderr = watch.child_stderr() if watch else None
    pid = _spawn(argv, env, stderr) if _spawns(foreground) else None
    if pid is None:
        pid = _fork(argv, env, foreground, stderr)
    if watch:
        watch.started(pid)
    status = _Supervisor(pid, stop or Stop(), kill_after, kill_note, watch).run()
    return watch.ended(status) if watch else status


def exit_status(wait_status):
    code = os.waitstatus_to_exitcode(wait_status)
    return 128 - code if code < 0 else code


def reap_zombies():
    """Reaps exited children without waiting; returns how many."""
    reaped = 0
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return reaped
        if pid == 0:
            return reaped
        reaped += 1


class _Supervisor:
    """The launcher as parent: one loop taking signals and exits, holding a stop until it can be passed on."""

    def __init__(self, pid, stop, kill_after, kill_note, watch):
        self.pid, self.stop, self.kill_after, self.kill_note = pid, stop, kill_after, kill_note
        self.watch = watch
        self.held = False  # a SIGTERM the process cannot take yet
        self.held_since = None
        self.fifo = None  # (fd, when it was opened)
        self.deadline = None
        self.stopped_by = None

    def run(self):
        while True:
            status = self.reap()
            if status is not None:
                return status
            if self.held:
                self.held = not self.pass_stop()
            info = _signal.sigtimedwait(_HANDLED, self.timeout())
            if info is not None and info.si_signo != _signal.SIGCHLD:
                self.take(info.si_signo)
            if self.deadline is not None and time.monotonic() >= self.deadline:
                self.escalate()

    def take(self, signum):
        if self.watch:
            self.watch.signalled = True
        if signum in STOPS and self.deadline is None and self.kill_after:
            self.deadline, self.stopped_by = time.monotonic() + self.kill_after, signum
        if signum == _signal.SIGTERM and self.stop.via != "direct":
            self.held = not self.pass_stop()
        else:
            _kill(self.pid, signum)

    def pass_stop(self):
        self.held_since = self.held_since or time.monotonic()
        if time.monotonic() - self.held_since < _DRAIN_WAIT and _queued_connections(self.pid):
            return False
        if self.stop.via == "fifo":
            return self.write_fifo()
        if not _catches(self.pid, self.stop.signum):
            return False
        _kill(self.pid, self.stop.signum)
        return True

    def write_fifo(self):
        """Kept open once opened: closing it would make uWSGI make a new one."""
        if self.fifo is None:
            fd = _open_fifo(self.stop.fifo)
            if fd is None:
                return False
            self.fifo = fd, time.monotonic()
        fd, since = self.fifo
        if time.monotonic() - since < _WORKERS_WAIT and not _workers_catch(self.pid, _signal.SIGHUP):
            return False
        try:
            os.write(fd, self.stop.command)
        except OSError:  # the master is gone: nothing left to stop
            pass
        os.close(fd)
        self.fifo = None
        return True

    def timeout(self):
        waits = [_IDLE]
        if self.held:
            waits.append(_POLL)
        if self.deadline is not None:
            waits.append(max(0.0, self.deadline - time.monotonic()))
        return min(waits)

    def escalate(self):
        os.write(2, ("pywarp: still running %gs after %s; killing it and its process group%s\n" % (
            self.kill_after, signal_name(self.stopped_by), self.kill_note and " (%s)" % self.kill_note)).encode())
        _kill_group(self.pid)
        self.deadline = None

    def reap(self):
        """The child's exit status once it has exited, after killing what is left of its group; else None.

        Peeks first (WNOWAIT): the group is killed while its leader is still a zombie, so that its id
        cannot have been reused.
        """
        while True:
            try:
                info = os.waitid(os.P_ALL, 0, os.WEXITED | os.WNOHANG | os.WNOWAIT)
            except ChildProcessError:
                return None
            if info is None:
                return None
            if info.si_pid == self.pid:
                _kill_group(self.pid)
                _, status = os.waitpid(self.pid, 0)
                _kill_the_rest()
                return exit_status(status)
            os.waitpid(info.si_pid, 0)  # an orphan adopted as PID 1


def _spawns(foreground):
    """Whether the child is started with posix_spawn: as PID 1, where the kernel stops the child should
    the launcher die (its whole PID namespace goes), and with no terminal to hand to it before its exec."""
    return os.getpid() == 1 and not (foreground and os.isatty(0))


def _spawn(argv, env, stderr):
    """posix_spawn, the kernel's vfork: the child shares the launcher's memory until its exec, where a
    fork copies its page tables and the child then faults in every page it writes (by hand, the
    launcher's modules loaded, 200 interleaved starts of /bin/true: spawned 1.1-1.5 ms to the exec,
    forked 10-22). Returns the pid once the child has exec'd; None when it could not, for the fork's
    way to say why, as any failed start does."""
    program = _program_path(argv[0], env)
    if program is None:
        return None
    try:
        actions = [] if stderr is None else [(os.POSIX_SPAWN_DUP2, stderr, 2)]
        return os.posix_spawn(program, argv, env, file_actions=actions, setpgroup=0,
                              setsigmask=_original_mask or (), setsigdef=_PYTHON_IGNORES)
    except OSError:
        return None


def _program_path(name, env):
    """What execvpe would run for name with env's PATH (os.posix_spawnp searches the launcher's own)."""
    return name if os.path.dirname(name) else which(name, os.get_exec_path(env))


def which(name, directories):
    """The first executable file `name` in `directories`, or None."""
    for directory in directories:
        path = os.path.join(directory, name)
        if is_program(path):
            return path
    return None


def is_program(path):
    return os.path.isfile(path) and os.access(path, os.X_OK)


def _fork(argv, env, foreground, stderr):
    """Forks the child and returns its pid once it has exec'd, or exited for want of it."""
    launcher = os.getpid()
    # The launcher waits for the child's exec, which closes this pipe (close-on-exec): work of its own
    # meanwhile would slow the child's way to its exec (13 ms against 8, perf's sched events).
    exec_read, exec_write = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(exec_read)
        _become_child(argv, env, foreground, stderr, launcher)
    os.close(exec_write)
    os.read(exec_read, 1)
    os.close(exec_read)
    return pid


def _become_child(argv, env, foreground, stderr, launcher):
    try:
        if stderr is not None:
            os.dup2(stderr, 2)
        # Its own process group: a terminal's Ctrl-C or resize reaches the launcher, which forwards once;
        # and the launcher can kill the whole server.
        os.setpgid(0, 0)
        die_with(launcher)
        if foreground:
            _take_terminal()
        exec_process(argv, env)
    except OSError as e:
        os.write(2, ("pywarp: cannot run %s: %s\n" % (argv[0], e.strerror)).encode())
    os._exit(127)


def _take_terminal():
    if not os.isatty(0):
        return
    previous = _signal.signal(_signal.SIGTTOU, _signal.SIG_IGN)  # a background group may not take it otherwise
    try:
        os.tcsetpgrp(0, os.getpgrp())
    except OSError:
        pass
    _signal.signal(_signal.SIGTTOU, previous)


def _catches(pid, signum):
    """Whether the process has a handler for signum; True when /proc cannot tell (pass it on, as before)."""
    try:
        with open("/proc/%d/status" % pid) as f:
            caught = next(int(line.split()[1], 16) for line in f if line.startswith("SigCgt:"))
    except (OSError, StopIteration, ValueError, IndexError):
        return True
    return bool(caught & (1 << (signum - 1)))


def _workers_catch(pid, signum):
    """Whether every child of pid running pid's program catches signum."""
    program = _program(pid)
    return all(_catches(c, signum) for c in _children(pid) if _program(c) == program)


def _queued_connections(pid):
    """Connections waiting in the accept queues of the process's listening TCP sockets."""
    try:
        inodes = {os.readlink("/proc/%d/fd/%s" % (pid, fd)) for fd in os.listdir("/proc/%d/fd" % pid)}
    except OSError:
        return 0
    queued = 0
    for table in ("tcp", "tcp6"):
        try:
            with open("/proc/%d/net/%s" % (pid, table)) as f:
                rows = [line.split() for line in f][1:]
        except OSError:
            continue
        for row in rows:  # sl local remote state tx:rx ... inode; a listener's rx is its accept queue
            if row[3] == "0A" and "socket:[%s]" % row[9] in inodes:
                queued += int(row[4].split(":")[1], 16)
    return queued


def _program(pid):
    try:
        return os.readlink("/proc/%d/exe" % pid)
    except OSError:
        return None


def _open_fifo(path):
    """A file descriptor to write to the FIFO once it exists and has a reader; None until then."""
    try:
        return os.open(path, os.O_WRONLY | os.O_NONBLOCK)
    except OSError:  # not made yet (ENOENT) or no reader yet (ENXIO)
        return None


def die_with(parent):
    """Asks the kernel for a SIGTERM when `parent` dies (PR_SET_PDEATHSIG); exits at once if it already has,
    as its SIGTERM is then lost."""
    if _prctl(_PR_SET_PDEATHSIG, _signal.SIGTERM) and os.getppid() != parent:
        os._exit(128 + _signal.SIGTERM)


def _become_subreaper():
    """Orphans of the server come to the launcher rather than to the real init (best effort). PID 1 is
    their init already, and skips the prctl's import of _ctypes (1 ms)."""
    if os.getpid() != 1:
        _prctl(_PR_SET_CHILD_SUBREAPER, 1)


def _prctl(option, value):
    """prctl(option, value); False when it cannot be called."""
    global _prctl_function
    try:
        if _prctl_function is None:
            _prctl_function = _c_function("prctl")
        return _prctl_function(option, value, 0, 0, 0) == 0
    except (ImportError, OSError, AttributeError):
        return False


def _c_function(name):
    """libc's `name` returning an int, as ctypes.CDLL(None, use_errno=True) would give it: importing ctypes
    itself costs every start about 3 ms of CPU before the server's own start. Kept once made: a forked
    child that made its own would write to ~50 more pages of the launcher's memory before its exec."""
    import _ctypes

    class Int(_ctypes._SimpleCData):
        _type_ = "i"

    class Function(_ctypes.CFuncPtr):
        _flags_ = _ctypes.FUNCFLAG_CDECL | _ctypes.FUNCFLAG_USE_ERRNO
        _restype_ = Int

    class Process:
        _handle = _ctypes.dlopen(None, os.RTLD_LOCAL)

    return Function((name, Process))


def _kill_the_rest():
    """Kills and reaps every remaining child of the launcher, and what they leave."""
    for _ in range(_CLEANUP_ROUNDS):
        reap_zombies()
        children = _children(os.getpid())
        if not children:
            return
        for child in children:
            _kill_group(child)
            _kill(child, _signal.SIGKILL)
        time.sleep(0.01)


def _children(pid):
    try:
        with open("/proc/%d/task/%d/children" % (pid, pid)) as f:
            return [int(c) for c in f.read().split()]
    except (OSError, ValueError):
        return []


def _kill_group(pid):
    """The child leads its own process group, which its workers inherit."""
    try:
        os.killpg(pid, _signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def _kill(pid, signum):
    try:
        os.kill(pid, signum)
    except ProcessLookupError:
        pass


def signal_name(signum):
    """SIGTERM for 15; only messages need names, so the signal module is imported only for them."""
    import signal

    try:
        return signal.Signals(signum).name
    except ValueError:
        return None


def restore_signals():
    """A child's signals as the launcher got them: its mask (block_signals) and what Python ignores."""
    for signum in _PYTHON_IGNORES:
        _signal.signal(signum, _signal.SIG_DFL)
    if _original_mask is not None:
        _signal.pthread_sigmask(_signal.SIG_SETMASK, _original_mask)
