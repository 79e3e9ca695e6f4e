"""The start gate of a server whose processes all import the app at start (mod_wsgi-express's daemons):
the first process through imports it alone, the others wait until it has, at most GATE_SECONDS. With
fewer CPUs than processes, imports side by side delay the first answer (gunicorn's own gate is in
pywarp_gunicorn, made before its workers fork).

The gate is a file the launcher makes in the server root (VARIABLE names it). The first process keeps
an exclusive flock on it from enter() to leave(); the others wait for a shared one.

A mod_wsgi daemon enters it as its interpreter starts, from pywarp_gate.pth: mod_wsgi-express's
--python-path adds the launcher's directory with site.addsitedir, which runs the .pth's import line,
before the daemon imports mod_wsgi.server (50 ms of CPU each). pywarp_wsgi leaves it once the app is
loaded, and enters it first when no .pth did."""
import os
import time

VARIABLE = "PYWARP_START_GATE"
GATE_SECONDS = 10.0
_POLL = 0.02

_entered = False
_held = None  # the first process's descriptor, locked until leave()


def enter():
    """Once per process: returns when this process may import the app."""
    global _entered, _held
    if not _entered:
        _entered = True
        _held = enter_gate(os.environ.get(VARIABLE))


def leave():
    global _held
    if _held is not None:
        os.close(_held)
        _held = None


def enter_gate(path, seconds=GATE_SECONDS):
    """The first process through keeps an exclusive lock on `path`: its fd is returned, to be closed
    once it has loaded the app. The others wait for a shared lock (at most `seconds`): None."""
    if not path:
        return None
    import fcntl

    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return fd
    except OSError:
        pass
    try:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
                return None
            except OSError:
                time.sleep(_POLL)
        return None
    finally:
        os.close(fd)
