"""A WSGI entry point for the servers: the app named by PYWARP_WSGI_APP (module:callable, or
module:factory() for an app factory, called once), wrapped with WhiteNoise serving the collected
static files when PYWARP_STATIC_ROOT is set (for servers that cannot serve files themselves).
The launcher sets these variables and puts this directory on PYTHONPATH.

With PYWARP_START_GATE, a file the launcher made for a server whose processes all import the app at
start (mod_wsgi-express), the first process imports it alone and the others wait until it has, at
most GATE_SECONDS: with fewer CPUs than processes, imports side by side delay the first answer (as
gunicorn's gate, pywarp_gunicorn)."""
import importlib
import os
import time

GATE_SECONDS = 10.0
_GATE_POLL = 0.02


def load(target):
    module, _, name = target.partition(":")
    factory = name.endswith("()")
    obj = importlib.import_module(module)
    for part in name[:-2 if factory else None].split("."):
        obj = getattr(obj, part)
    return obj() if factory else obj


def wrap(app):
    root = os.environ.get("PYWARP_STATIC_ROOT")
    if not root:
        return app
    from whitenoise import WhiteNoise

    return WhiteNoise(app, root=root, prefix=os.environ["PYWARP_STATIC_URL"])


def enter_gate(path, seconds=GATE_SECONDS):
    """The first process through keeps an exclusive lock on `path` until it has loaded the app: its fd
    is returned, to be closed then. The others wait for a shared lock (at most `seconds`): None."""
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
                time.sleep(_GATE_POLL)
        return None
    finally:
        os.close(fd)


_gate = enter_gate(os.environ.get("PYWARP_START_GATE"))
try:
    application = wrap(load(os.environ["PYWARP_WSGI_APP"]))
finally:
    if _gate is not None:
        os.close(_gate)
