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

uvicorn's multiprocessing starts workers by running this file again: the patches apply there too.
"""
import socket
import sys

from uvicorn.config import Config
from uvicorn.main import STARTUP_FAILURE, main
from uvicorn.supervisors.multiprocess import Multiprocess

import pywarp_lifespan
import pywarp_messages as say

WATCH_INTERVAL = 0.5


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


nodelay_listener(Config)
stop_when_a_worker_dies(Multiprocess)
pywarp_lifespan.strict_uvicorn()

if __name__ == "__main__":
    sys.exit(main(prog_name="uvicorn"))
