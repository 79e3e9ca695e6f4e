"""gunicorn, run by the venv's Python, without the start-up race of its workers' signals.

Usage: python pywarp_gunicorn.py [gunicorn options] [APP_MODULE]

gunicorn's arbiter forks a worker that runs the arbiter's signal handlers until it sets its own
(Worker.init_signals). A SIGTERM the arbiter passes on in that window is swallowed: the worker
keeps serving until the arbiter kills it at the graceful timeout. Here the stop signals are
blocked across the fork, and the worker unblocks them once its own handlers are in place (whatever
its class), so such a SIGTERM waits for it instead. It also spreads gthread workers' keep-alive
connections and writes the default access log line directly (pywarp_gunicorn_tuning).

With uvicorn's worker class (an ASGI app), lifespan failures are fatal as in pywarp_uvicorn.

Start-up gate. Every worker imports the app after the fork; on a machine with fewer CPUs than
workers they compete, and the first one ready, which the first request waits for, is late (2 CPUs,
4 workers: first 200 at 1.4x a single worker's). The first worker imports it alone; the others wait
until a worker has loaded the app (at most GATE_SECONDS, polling so that a stop is not held up), then
import it themselves. A worker that fails to import still fails the start as before. At start the
arbiter forks the others only then: their forks and start-up took CPU from the first worker too
(where a page fault is dear, web's argv took 462 ms to its first 200 against 361 with one worker).

Workers' exits one at a time. The arbiter reaps and logs a worker's exit in its SIGCHLD handler; when
workers stop together, the next SIGCHLD ran that handler again inside the first one's logging, whose
stream raised ("reentrant call"), so the worker reaped there was never removed from the arbiter's
table, and its stop waited the whole graceful timeout for it. The handler now runs with SIGCHLD
blocked: a later exit waits for the next run, whose waitpid loop reaps it.

A worker that fails to boot makes that handler raise HaltServer, for the arbiter to halt: stop the
others and exit with the failure's status. gunicorn's handler raises it for the first such worker
reaped, leaving any other exited one unreaped, and again for each that fails while the arbiter halts,
from inside the halt: the arbiter then died of that second HaltServer (a traceback, status 1, and
"the last exception it printed" was gunicorn's). Here a run reaps every worker that has exited, and
raises the first HaltServer only if the arbiter is not halting already (for a failure or a stop).
"""
import os
import select
import signal
import sys
import time

from gunicorn.app.wsgiapp import run
from gunicorn.arbiter import Arbiter
from gunicorn.errors import HaltServer

import pywarp_lifespan
from pywarp_gunicorn_tuning import install_fast_access, spread_keepalive

# What the arbiter sends its workers to stop them.
HELD = (signal.SIGTERM, signal.SIGINT, signal.SIGQUIT)
GATE_SECONDS = 10.0
_GATE_POLL = 0.05
_gate = None  # (read fd, write fd): readable once a worker has loaded the app; made by the arbiter


def guard(arbiter_class):
    setup, spawn_worker = arbiter_class.setup, arbiter_class.spawn_worker
    spawn_workers, handle_chld = arbiter_class.spawn_workers, arbiter_class.handle_chld
    halt = arbiter_class.halt
    arbiter_class.pywarp_halting = False

    def guarded_setup(self, app):
        global _gate
        setup(self, app)
        if _gate is None:
            _gate = os.pipe()
            os.set_blocking(_gate[1], False)
        if any(c.__module__.split(".")[0] in ("uvicorn", "uvicorn_worker") for c in self.worker_class.__mro__):
            pywarp_lifespan.strict_uvicorn()  # before the fork: every worker has it
        self.worker_class = guarded_worker(self.worker_class, self.cfg)

    def guarded_spawn_worker(self):
        signal.pthread_sigmask(signal.SIG_BLOCK, HELD)
        try:
            return spawn_worker(self)  # in the worker, returns only by exiting
        finally:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, HELD)

    def first_alone(self):
        if not self.WORKERS and _gate is not None and not _gate_open(0):
            self.spawn_worker()
            if not wait_for_the_first(self):
                return  # a signal to take first: its stop spawns none, else the next round spawns them
        spawn_workers(self)

    def serial_handle_chld(self, sig, frame):
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGCHLD})
        try:
            failed = reap_all(self, handle_chld, sig, frame)
            if failed and not self.pywarp_halting:
                self.pywarp_halting = True
                raise failed
        finally:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGCHLD})

    def halting(self, *args, **kwargs):
        self.pywarp_halting = True
        halt(self, *args, **kwargs)

    arbiter_class.setup, arbiter_class.spawn_worker = guarded_setup, guarded_spawn_worker
    arbiter_class.spawn_workers, arbiter_class.handle_chld = first_alone, serial_handle_chld
    arbiter_class.halt = halting


def reap_all(arbiter, handle_chld, sig, frame):
    """Runs gunicorn's SIGCHLD handler until every worker that has exited is reaped: the first HaltServer
    it raised (a worker failed to boot), or None. A HaltServer leaves its worker in the arbiter's table;
    kill_worker with no signal forgets it, as gunicorn does a worker found gone (ESRCH)."""
    failed = None
    while True:
        try:
            handle_chld(arbiter, sig, frame)
            return failed
        except HaltServer as e:
            failed = failed or e
            for pid in list(arbiter.WORKERS):
                arbiter.kill_worker(pid, 0)


def guarded_worker(worker_class, cfg):
    class Guarded(spread_keepalive(worker_class, cfg)):
        def init_signals(self):
            super().init_signals()
            signal.pthread_sigmask(signal.SIG_UNBLOCK, HELD)

        def load_wsgi(self):
            if _gate is not None and self.age > 1:
                wait_at_gate(self)
            super().load_wsgi()
            if _gate is not None:
                open_gate()

    Guarded.__name__ = Guarded.__qualname__ = worker_class.__name__
    return Guarded


def wait_at_gate(worker):
    """Until a worker has loaded the app, GATE_SECONDS have passed or the worker is told to stop."""
    deadline = time.monotonic() + GATE_SECONDS
    while worker.alive and time.monotonic() < deadline:
        if _gate_open(_GATE_POLL):
            return
    if not worker.alive:
        sys.exit(0)


def wait_for_the_first(arbiter):
    """In the arbiter, until its first worker has loaded the app (True), GATE_SECONDS have passed or the
    worker has gone (True: spawn the others), or a signal waits for its main loop (False). A worker
    that fails to boot ends the wait with gunicorn's HaltServer, raised by its SIGCHLD handler."""
    deadline = time.monotonic() + GATE_SECONDS
    while arbiter.WORKERS and time.monotonic() < deadline:
        if arbiter.SIG_QUEUE:
            return False
        if _gate_open(_GATE_POLL):
            return True
    return True


def _gate_open(seconds):
    return bool(select.select([_gate[0]], [], [], seconds)[0])


def open_gate():
    try:
        os.write(_gate[1], b"+")  # never read: readable for good
    except BlockingIOError:  # full after thousands of restarts: open all the same
        pass


if __name__ == "__main__":
    guard(Arbiter)
    install_fast_access()
    sys.exit(run())
