"""daphne with a graceful SIGTERM, run by the venv's Python.

Usage: python pywarp_daphne.py [--graceful-timeout SECONDS] [daphne options] module:attr

On SIGTERM daphne stops the Twisted reactor at once, cancelling every request in flight. Here
SIGTERM or SIGINT stops accepting, lets in-flight requests finish (up to the timeout), then stops
the reactor as daphne would, cancelling what is left (open websockets), and exits 0.

When it cannot listen (the port is taken) it exits 1: daphne before 4.2 stops and exits 0.
"""
import signal
import sys
import time

from daphne.cli import CommandLineInterface
from daphne.server import Server
from twisted.internet import reactor

DEFAULT_TIMEOUT = 8.0
DRAIN_POLL = 0.1
STOPS = (signal.SIGTERM, signal.SIGINT)


def main(argv):
    # Held until our handlers replace the reactor's, which the launcher may see first (SigCgt): the
    # reactor's own would stop at once.
    signal.pthread_sigmask(signal.SIG_BLOCK, STOPS)
    timeout, rest = own_options(argv)
    ports, failures = [], []
    listen_success, listen_error, run = Server.listen_success, Server.listen_error, Server.run

    def remember_port(server, port):
        ports.append(port)
        return listen_success(server, port)

    def remember_failure(server, failure):
        failures.append(failure)
        return listen_error(server, failure)

    def run_with_graceful_stop(server):
        # after the reactor's own handlers, which daphne has it install
        reactor.callWhenRunning(install_handlers, server, ports, timeout)
        return run(server)

    Server.listen_success, Server.listen_error, Server.run = remember_port, remember_failure, run_with_graceful_stop
    CommandLineInterface().run(rest)
    return 1 if failures else 0


def own_options(argv):
    timeout, rest = DEFAULT_TIMEOUT, []
    args = iter(argv)
    for arg in args:
        if arg == "--graceful-timeout":
            timeout = float(next(args, DEFAULT_TIMEOUT))
        elif arg.startswith("--graceful-timeout="):
            timeout = float(arg.split("=", 1)[1])
        else:
            rest.append(arg)
    return timeout, rest


def install_handlers(server, ports, timeout):
    stopping = []

    def stop(_signum, _frame):
        if stopping:
            return
        stopping.append(True)
        reactor.callFromThread(drain_then_stop, server, ports, time.monotonic() + timeout)

    for signum in STOPS:
        signal.signal(signum, stop)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, STOPS)


def drain_then_stop(server, ports, deadline):
    for port in ports:
        port.stopListening()
    del ports[:]
    if any(_in_flight(details) for details in server.connections.values()) and time.monotonic() < deadline:
        reactor.callLater(DRAIN_POLL, drain_then_stop, server, ports, deadline)
    else:
        server.stop()


def _in_flight(details):
    instance = details.get("application_instance")
    return instance is not None and not instance.done()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
