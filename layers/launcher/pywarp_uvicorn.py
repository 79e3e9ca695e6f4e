"""uvicorn, run by the venv's Python, with its --workers supervisor replaced and lifespan failures fatal.

Usage: python pywarp_uvicorn.py [uvicorn options] APP

- The first worker is this process. uvicorn's supervisor starts every worker after its own start, and
  each then imports the app: a spawned worker is a new Python that imports uvicorn again, a forked one
  pays for the supervisor's memory page by page as it writes to it (the app's import took 190 ms in a
  forked worker against 136 in uvicorn's own process, by hand on samples/fastapi). Here the process
  that read the options and bound the socket serves as the first worker, and starts the others once
  it serves: new Pythons running this file again, on the socket they inherit (LISTENER names its
  descriptor). Its first answer comes almost as early as naive uvicorn's: 325 against 305 ms
  (bench/launch.mjs, 22 starts each; uvicorn's supervisor with forked workers 452 against 307 on the
  same machine). The others serve 0.3-0.8 s later.
- It supervises them. A stop signal it takes is passed on to them; a worker that exits while it
  serves stops it with status 3, uvicorn's for a failed start (none is restarted, as by uvicorn's
  supervisor before 0.30: the platform restarts the container); it stops them on its way out and
  waits for them. A worker gets a SIGTERM should this process die.
- TCP_NODELAY. For --workers uvicorn binds the listening socket itself, without a protocol number, and
  asyncio enables TCP_NODELAY only on accepted sockets that report TCP's: each response then waits for
  the client's delayed ACK (~40 ms per request on a keep-alive connection; uvicorn issue 3149). Set on
  the listening socket, accepted sockets inherit it.
- Exit status 0 after a graceful stop. uvicorn 0.29 and later raise the stop signal again once they
  have stopped, under the handler that was there before theirs: by default the signal's own action,
  which kills the process (status 143, and a first worker would not wait for the others). Here that
  handler stops the server while it starts, and does nothing once it has stopped.
- Lifespan: strict for apps that take the startup event (see pywarp_lifespan).
- The access log: its default line is written without the logging module (see pywarp_uvicorn_access).
"""
import os
import signal
import socket
import subprocess
import sys
import threading

from uvicorn.config import Config
from uvicorn.main import STARTUP_FAILURE, main
from uvicorn.server import Server

import pywarp_init
import pywarp_lifespan
import pywarp_messages as say
import pywarp_uvicorn_access

# In a worker this process started: its listening socket's descriptor, and this process's pid.
LISTENER = "PYWARP_UVICORN_LISTENER"
PARENT = "PYWARP_UVICORN_PARENT"


def listener(config_class, inherited):
    """The socket is bound once, here with TCP_NODELAY, and a worker takes the one it inherited."""
    bind_socket = config_class.bind_socket

    def bind_with_nodelay(self):
        if inherited is not None:
            return socket.socket(fileno=inherited)
        sock = bind_socket(self)
        if sock.family in (socket.AF_INET, socket.AF_INET6):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return sock

    config_class.bind_socket = bind_with_nodelay


def stops_once(server_class):
    """Server.run with SIGINT and SIGTERM handled before and after uvicorn's own handlers: the
    server's handle_exit until it is stopping, nothing after (where uvicorn raises them again)."""
    run = server_class.run

    def run_with_handlers(self, sockets=None):
        def stop(sig, frame):
            if not self.should_exit:
                self.handle_exit(sig, frame)

        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, stop)
        return run(self, sockets=sockets)

    server_class.run = run_with_handlers


class Workers:
    """Stands in for uvicorn's supervisor, which uvicorn.main's run calls for --workers above 1 as
    Multiprocess(config, target=server.run, sockets=[sock]).run(), and since 2026 (uvicorn 0.54 has it)
    without target: the supervisor makes its workers' servers."""

    def __init__(self, config, target=None, sockets=None):
        self.config, self.sockets = config, sockets
        self.server = target.__self__ if target is not None else Server(config=config)
        self.others = []
        self.dead = None
        self.stopping = False

    def run(self):
        if INHERITED is not None:
            self.server.run(sockets=self.sockets)
            sys.exit(0 if self.server.started else STARTUP_FAILURE)
        startup = self.server.startup

        async def startup_then_start_the_others(sockets=None):
            await startup(sockets=sockets)
            if self.server.started and not self.server.should_exit:
                self.start_others()

        self.server.startup = startup_then_start_the_others
        handle_exit = self.server.handle_exit

        def handle_exit_and_pass_on(sig, frame):
            self.stopping = True
            for process in self.others:
                process.send_signal(sig)
            handle_exit(sig, frame)

        self.server.handle_exit = handle_exit_and_pass_on
        try:
            self.server.run(sockets=self.sockets)
        finally:
            self.stop_others()
        if self.dead is not None:
            sys.stderr.write("pywarp: %s\n" % say.worker_exited("uvicorn", self.dead.pid, self.dead.returncode))
        if self.dead is not None or not self.server.started:
            sys.exit(STARTUP_FAILURE)

    def start_others(self):
        fd = self.sockets[0].fileno()
        env = dict(os.environ, **{LISTENER: str(fd), PARENT: str(os.getpid())})
        for _ in range(self.config.workers - 1):
            process = subprocess.Popen([sys.executable] + sys.argv, env=env, pass_fds=(fd,))
            self.others.append(process)
            threading.Thread(target=self.watch, args=(process,), daemon=True).start()

    def watch(self, process):
        process.wait()
        if not self.stopping and self.dead is None:
            self.dead = process
            self.server.should_exit = True

    def stop_others(self):
        self.stopping = True
        for process in self.others:
            if process.poll() is None:
                process.terminate()
        for process in self.others:
            process.wait()


def inherited_listener(environ):
    """In a worker: its socket's descriptor, once it has asked to be stopped with its parent; else None."""
    fd = environ.pop(LISTENER, None)
    if fd is None:
        return None
    pywarp_init.die_with(int(environ.pop(PARENT)))
    return int(fd)


INHERITED = inherited_listener(os.environ)
listener(Config, INHERITED)
stops_once(Server)
# uvicorn/__init__.py binds the name uvicorn.main to the command, so the module is taken from sys.modules
sys.modules["uvicorn.main"].Multiprocess = Workers
pywarp_lifespan.strict_uvicorn()
pywarp_uvicorn_access.install()

if __name__ == "__main__":
    sys.exit(main(prog_name="uvicorn"))
