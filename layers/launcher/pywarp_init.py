"""Starting the final process: exec it, or stay as its parent to forward signals and reap zombies.

The launcher stays as parent when it is PID 1 and the process does not reap children (an orphan's
zombie would stay forever), and when SIGTERM must become another signal (Apache's graceful stop).
"""
import os
import signal

FORWARDED = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGQUIT, signal.SIGUSR1, signal.SIGUSR2)
# Python ignores these; an ignored signal stays ignored across exec (subprocess restores them too).
_PYTHON_IGNORES = tuple(getattr(signal, n) for n in ("SIGPIPE", "SIGXFSZ") if hasattr(signal, n))


def exec_process(argv, env):
    _restore_signals()
    os.execvpe(argv[0], argv, env)


def supervise(argv, env, translate=None, escalate_after=None, foreground=False, watch=None):
    """Runs argv as a child and returns its exit status (128 + N when killed by signal N).

    translate: {received signal: signal to send}; escalate_after: seconds after a translated
    signal before the child's process group is killed (Apache's own forced stop takes another
    10 s); foreground: give it the terminal, as tini does; watch: a pywarp_watch.Watch, which
    sees the child's stderr and may turn its exit status into the launcher's own.
    """
    if watch:
        watch.before_fork()
    # Blocked until the handlers are in place, so that no early signal is lost.
    signal.pthread_sigmask(signal.SIG_BLOCK, FORWARDED)
    pid = os.fork()
    if pid == 0:
        _become_child(argv, env, foreground, watch)
    _forward_signals(pid, translate or {}, escalate_after)
    if watch:
        watch.started(pid)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, FORWARDED)
    status = _wait_for(pid)
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


def _become_child(argv, env, foreground, watch):
    try:
        if watch:
            watch.in_child()
        # Its own process group: a terminal's Ctrl-C or resize reaches the launcher, which forwards once.
        os.setpgid(0, 0)
        if foreground:
            _take_terminal()
        signal.pthread_sigmask(signal.SIG_UNBLOCK, FORWARDED)
        exec_process(argv, env)
    except OSError as e:
        os.write(2, ("pywarp: cannot run %s: %s\n" % (argv[0], e.strerror)).encode())
    os._exit(127)


def _take_terminal():
    if not os.isatty(0):
        return
    previous = signal.signal(signal.SIGTTOU, signal.SIG_IGN)  # a background group may not take it otherwise
    try:
        os.tcsetpgrp(0, os.getpgrp())
    except OSError:
        pass
    signal.signal(signal.SIGTTOU, previous)


def _forward_signals(pid, translate, escalate_after):
    def forward(signum, _frame):
        _kill(pid, translate.get(signum, signum))
        if escalate_after and signum in translate:
            signal.alarm(signal.alarm(0) or escalate_after)  # a repeated signal does not postpone it

    def escalate(_signum, _frame):
        os.write(2, ("pywarp: not stopped within %ds; killing it\n" % escalate_after).encode())
        _kill_group(pid)

    for signum in FORWARDED:
        signal.signal(signum, forward)
    signal.signal(signal.SIGALRM, escalate)


def _wait_for(pid):
    """Reaps every child, orphans adopted as PID 1 included, until `pid` exits."""
    while True:
        reaped, status = os.waitpid(-1, 0)
        if reaped == pid:
            reap_zombies()
            return exit_status(status)


def _kill_group(pid):
    """The child leads its own process group, which its workers inherit."""
    try:
        os.killpg(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def _kill(pid, signum):
    try:
        os.kill(pid, signum)
    except ProcessLookupError:
        pass


def _restore_signals():
    for signum in _PYTHON_IGNORES:
        signal.signal(signum, signal.SIG_DFL)
