"""waitress-serve with a graceful SIGTERM, run by the venv's Python.

Usage: python pywarp_waitress.py [--graceful-timeout SECONDS] [--access-log | --no-access-log]
                                 [waitress-serve options] module:callable

waitress-serve has no SIGTERM handler, so the default action kills requests mid-flight. On
SIGTERM or SIGINT this stops accepting, lets in-flight requests finish (up to the timeout),
closes idle keep-alive connections and exits 0.
"""
import logging
import os
import signal
import sys
import time
from urllib.parse import quote

from waitress import runner, wasyncore
from waitress.channel import HTTPChannel
from waitress.server import BaseWSGIServer, create_server
from waitress.trigger import trigger

import pywarp_logtime

DEFAULT_TIMEOUT = 8.0
DRAIN_POLL = 0.1


def main(argv):
    timeout, access_log, rest = own_options(argv)

    def serve(app, **kw):
        serve_gracefully(with_access_log(app) if access_log else app, timeout, **kw)

    return runner.run(["waitress-serve"] + rest, _serve=serve)


def own_options(argv):
    timeout, access_log, rest = DEFAULT_TIMEOUT, False, []
    args = iter(argv)
    for arg in args:
        if arg == "--graceful-timeout":
            timeout = float(next(args, DEFAULT_TIMEOUT))
        elif arg.startswith("--graceful-timeout="):
            timeout = float(arg.split("=", 1)[1])
        elif arg in ("--access-log", "--no-access-log"):
            access_log = arg == "--access-log"
        else:
            rest.append(arg)
    return timeout, access_log, rest


def serve_gracefully(app, timeout, **kw):
    logging.basicConfig()  # as waitress.serve does: its messages need a handler
    server = create_server(app, **kw)
    server.print_listen("Serving on http://{}:{}")
    sockets = getattr(server, "map", None) or server._map  # several listeners, or one
    use_poll = server.adj.asyncore_use_poll
    stopping = []

    def stop(signum, _frame):
        stopping.append(signum)
        for t in _all(sockets, trigger):
            t.pull_trigger()  # wakes the loop now; without a thunk it takes no lock

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    while not stopping:
        wasyncore.loop(timeout=server.adj.asyncore_loop_timeout, map=sockets, use_poll=use_poll, count=1)
    left = drain(sockets, timeout, use_poll)
    if left:  # the task threads are daemons: exiting ends the requests still running
        server.log_info("stopped with %d connections still busy after %gs" % (left, timeout), "warning")
    else:
        server.task_dispatcher.shutdown()


def drain(sockets, timeout, use_poll):
    """Stops accepting and runs the loop until no connection is busy; returns how many still are."""
    for listener in _all(sockets, BaseWSGIServer):
        # Not listener.close(): that also closes the trigger that busy connections still pull.
        wasyncore.dispatcher.close(listener)
    deadline = time.monotonic() + timeout
    while _all(sockets, HTTPChannel) and time.monotonic() < deadline:
        for channel in _all(sockets, HTTPChannel):
            if _idle(channel):
                channel.will_close = True
        wasyncore.loop(timeout=DRAIN_POLL, map=sockets, use_poll=use_poll, count=1)
    return len(_all(sockets, HTTPChannel))


def with_access_log(app, out=sys.stdout):
    """A common-log-format line per request on stdout; waitress logs none itself. One os.write per
    line, unbuffered, past the text layer (bench/launch.mjs measured the layer's write and flush)."""
    out.flush()
    fd = out.fileno()

    def logged(environ, start_response):
        def start(status, headers, exc_info=None):
            length = next((v for k, v in headers if k.lower() == "content-length"), "-")
            data = _log_line(environ, status.split(" ", 1)[0], length).encode("utf-8", "backslashreplace")
            while data:
                data = data[os.write(fd, data):]
            return start_response(status, headers, exc_info)

        return app(environ, start)

    return logged


def _log_line(environ, status, length):
    uri = quote(environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", ""))
    if environ.get("QUERY_STRING"):
        uri += "?" + environ["QUERY_STRING"]
    request = "%s %s %s" % (environ.get("REQUEST_METHOD"), uri, environ.get("SERVER_PROTOCOL"))
    when = pywarp_logtime.now()
    return '%s - - [%s] "%s" %s %s\n' % (environ.get("REMOTE_ADDR", "-"), when, request, status, length)



def _idle(channel):
    return not channel.requests and channel.request is None and not channel.total_outbufs_len


def _all(sockets, kind):
    return [d for d in list(sockets.values()) if isinstance(d, kind)]


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
