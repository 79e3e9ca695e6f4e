"""uvicorn, run by the venv's Python, with its --workers supervisor fixed and lifespan failures fatal.

Usage: python pywarp_uvicorn.py [uvicorn options] APP

- TCP_NODELAY. With --workers the supervisor binds the listening socket itself, without a protocol
  number, and asyncio enables TCP_NODELAY only on accepted sockets that report TCP's: each response
  then waits for the client's delayed ACK (~40 ms per request on a keep-alive connection; uvicorn
  issue 3149). Set on the listening socket, accepted sockets inherit it.
- A worker that dies. uvicorn before 0.30 never restarts a worker, and its supervisor exits 0 only
  when told to: a worker whose lifespan startup fails leaves it running with no one serving. Here
  the supervisor stops the others and exits 3 (uvicorn's status for a failed startup).
- Lifespan: strict for apps that take the startup event (see pywarp_lifespan).
- Workers forked, not spawned. A spawned worker is a new Python that imports uvicorn and this file
  again before the app (by hand on samples/fastapi with 2 workers: the first answer at 461 ms
  spawned, 366 forked, naive uvicorn 311; README, Launch). The supervisor has imported no app and
  runs no thread or event loop when it forks. Its signal handlers are not the worker's: the child
  starts with the defaults, as a spawned one does, and the stop signals stay blocked across the
  fork so that none falls in between. Forked, the workers have the patches here too.
- The start gate (pywarp_gate): each worker imports the app, the first alone, the others once it has
  (323 ms above).
"""
import multiprocessing
import signal
import socket
import sys
from types import SimpleNamespace

from uvicorn.config import Config
from uvicorn.main import STARTUP_FAILURE, main
from uvicorn.supervisors.multiprocess import Multiprocess

try:
    from uvicorn import _subprocess as uvicorn_subprocess
except ImportError:  # uvicorn before 0.18
    from uvicorn import subprocess as uvicorn_subprocess

import pywarp_gate
import pywarp_lifespan
import pywarp_messages as say

WATCH_INTERVAL = 0.5
STOPS = {signal.SIGTERM, signal.SIGINT}


def nodelay_listener(config_class):
    bind_socket = config_class.bind_socket

    def bind_with_nodelay(self):
        sock = bind_socket(self)
        if sock.family in (socket.AF_INET, socket.AF_INET6):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return sock

    config_class.bind_socket = bind_with_nodelay


def stop_when_a_worker_dies(supervisor_class):
    if hasattr(supervisor_class, "keep_subprocess_alive"):
        return  # uvicorn 0.30 and later restart dead workers themselves

    def run(self):
        self.startup()
        dead = None
        while not self.should_exit.wait(WATCH_INTERVAL):
            dead = next((p for p in self.processes if not p.is_alive()), None)
            if dead is not None:
                break
        self.shutdown()
        if dead is not None:
            sys.stderr.write("pywarp: %s\n" % say.worker_exited("uvicorn", dead.pid, dead.exitcode))
            sys.exit(STARTUP_FAILURE)

    supervisor_class.run = run


def gated_app_loading(config_class):
    load = config_class.load

    def load_behind_the_gate(self):
        pywarp_gate.enter()
        try:
            load(self)
        finally:
            pywarp_gate.leave()

    config_class.load = load_behind_the_gate


def forked_workers(subprocess_module):
    """The module's `spawn` context, which its get_subprocess asks for a Process, made a forking one."""
    fork = multiprocessing.get_context("fork")

    class Process(fork.Process):
        def start(self):
            previous = signal.pthread_sigmask(signal.SIG_BLOCK, STOPS)
            try:
                fork.Process.start(self)
            finally:
                signal.pthread_sigmask(signal.SIG_SETMASK, previous)

        def run(self):
            for signum in signal.valid_signals():
                handler = signal.getsignal(signum)
                if callable(handler) and handler is not signal.default_int_handler:
                    signal.signal(signum, signal.default_int_handler if signum == signal.SIGINT else signal.SIG_DFL)
            signal.pthread_sigmask(signal.SIG_UNBLOCK, STOPS)
            fork.Process.run(self)

    subprocess_module.spawn = SimpleNamespace(Process=Process)


nodelay_listener(Config)
gated_app_loading(Config)
stop_when_a_worker_dies(Multiprocess)
pywarp_lifespan.strict_uvicorn()
forked_workers(uvicorn_subprocess)

if __name__ == "__main__":
    sys.exit(main(prog_name="uvicorn"))
