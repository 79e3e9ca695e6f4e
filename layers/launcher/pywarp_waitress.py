"""waitress-serve with a graceful SIGTERM, run by the venv's Python.

Usage: python pywarp_waitress.py [--graceful-timeout SECONDS] [--access-log | --no-access-log]
                                 [waitress-serve options] module:callable

waitress-serve has no SIGTERM handler, so the default action kills requests mid-flight. On
SIGTERM or SIGINT this stops accepting, lets in-flight requests finish (up to the timeout),
closes idle keep-alive connections and exits 0.

--access-log writes a common-log-format line per request to stdout (waitress logs none itself). The
line comes from waitress' task level: its task classes, subclassed on the channel class, make it once
the response is done, from their own fields; so it also covers the 500 waitress sends when the app
raises and the requests waitress refuses, which a wrapper around the app never sees (the wrapper
stays for task classes unlike 1.x-2.x's). The loop's thread writes the lines (AccessLines). On a
Flask hello world the log adds < 1 % of the instructions per request and no CPU time beyond the
noise of the shared machine; a write per line from each task thread (before, with the wrapper)
measured +1-20 % CPU time per request in 7 runs (bench/waitress-log.mjs, README).
"""
import logging
import os
import signal
import sys
import time
from urllib.parse import quote

from waitress import runner, wasyncore
from waitress import channel as _channel
from waitress.channel import HTTPChannel
from waitress.server import BaseWSGIServer, create_server
from waitress.task import ThreadedTaskDispatcher
from waitress.trigger import trigger

import pywarp_logtime

ClientDisconnected = getattr(_channel, "ClientDisconnected", ())  # () matches no exception
DEFAULT_TIMEOUT = 8.0
DRAIN_POLL = 0.1
# Task threads at start: waitress' own default. The rest of --threads follow the first answers.
FIRST_THREADS = 4
# What the logged tasks read: class attributes of waitress' Task in 1.x and 2.x.
TASK_FIELDS = ("service", "status", "content_length", "wrote_header")


def main(argv):
    timeout, access_log, rest = own_options(argv)

    def serve(app, **kw):
        serve_gracefully(app, timeout, access_log=access_log, **kw)

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


def serve_gracefully(app, timeout, access_log=False, **kw):
    logging.basicConfig()  # as waitress.serve does: its messages need a handler
    lines = AccessLines(sys.stdout) if access_log else None
    channel_class = task_logging_channel(HTTPChannel, lines.append) if lines is not None else None
    if lines is not None and channel_class is None:
        app = with_access_log(app, lines.append)
    pool = GrowingDispatcher()
    server = create_server(app, _dispatcher=pool, **kw)
    pool.start(server.adj.threads)
    server.print_listen("Serving on http://{}:{}")
    sys.stdout.flush()  # before the access log's lines, written past the text layer
    sockets = getattr(server, "map", None) or server._map  # several listeners, or one
    if channel_class is not None:
        for listener in _all(sockets, BaseWSGIServer):
            listener.channel_class = channel_class  # read at each accept; none has happened yet
    use_poll = server.adj.asyncore_use_poll
    stopping = []

    def stop(signum, _frame):
        stopping.append(signum)
        for t in _all(sockets, trigger):
            t.pull_trigger()  # wakes the loop now; without a thunk it takes no lock

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    while not stopping:
        _turn(sockets, server.adj.asyncore_loop_timeout, use_poll, lines)
        pool.grow_when_due(sockets)
    left = drain(sockets, timeout, use_poll, lines)
    if left:  # the task threads are daemons: exiting ends the requests still running
        server.log_info("stopped with %d connections still busy after %gs" % (left, timeout), "warning")
    else:
        server.task_dispatcher.shutdown()
    if lines is not None:
        lines.flush()


class GrowingDispatcher(ThreadedTaskDispatcher):
    """waitress' task threads: FIRST_THREADS of them at start, the rest of --threads once the first
    requests are answered (28 more threads started before the first request made its answer about
    14 ms later, README's First 200), or at once when more requests wait than the threads started."""

    added = 0  # tasks handed to the threads; only the loop's thread hands them
    rest = 0

    def start(self, threads):
        self.set_thread_count(min(threads, FIRST_THREADS))
        self.rest = max(threads - FIRST_THREADS, 0)

    def add_task(self, task):
        self.added += 1
        ThreadedTaskDispatcher.add_task(self, task)

    def grow_when_due(self, sockets):
        """Run by the loop's thread between turns: "answered" is every connection idle, its response
        sent. The counts are read without the lock: a stale one moves the growth to the next turn."""
        if not (self.rest and self.added):
            return
        crowded = len(self.queue) + self.active_count > len(self.threads)
        if crowded or all(_idle(channel) for channel in _all(sockets, HTTPChannel)):
            self.set_thread_count(len(self.threads) + self.rest)
            self.rest = 0


def drain(sockets, timeout, use_poll, lines=None):
    """Stops accepting and runs the loop until no connection is busy; returns how many still are."""
    for listener in _all(sockets, BaseWSGIServer):
        # Not listener.close(): that also closes the trigger that busy connections still pull.
        wasyncore.dispatcher.close(listener)
    deadline = time.monotonic() + timeout
    while _all(sockets, HTTPChannel) and time.monotonic() < deadline:
        for channel in _all(sockets, HTTPChannel):
            if _idle(channel):
                channel.will_close = True
        _turn(sockets, DRAIN_POLL, use_poll, lines)
    return len(_all(sockets, HTTPChannel))


def _turn(sockets, timeout, use_poll, lines):
    """One turn of waitress' loop, then the access log lines the task threads added meanwhile."""
    wasyncore.loop(timeout=timeout, map=sockets, use_poll=use_poll, count=1)
    if lines is not None:
        lines.flush()


def task_logging_channel(channel_class, write):
    """channel_class with task classes that write each request's access log line once its response is
    done, from the task's own fields: no wrapper around the app, its start_response or its iterable.
    None when waitress's task classes are not the ones this was written against (waitress 1.x-2.x):
    then the app is wrapped instead (with_access_log), same line."""
    task_class = getattr(channel_class, "task_class", None)
    error_class = getattr(channel_class, "error_task_class", None)
    if not (_has(task_class, TASK_FIELDS + ("environ", "get_environment")) and _has(error_class, TASK_FIELDS)):
        return None

    class LoggedTask(task_class):
        def service(self):
            handed_over = False
            try:
                task_class.service(self)
            except Exception as e:
                # unless the response has begun, the channel answers 500 with its error task at once
                handed_over = not (self.wrote_header or isinstance(e, ClientDisconnected))
                if handed_over:
                    self.channel.pywarp_failed = self  # that task writes the line
                raise
            finally:
                if not handed_over:
                    write(_task_line(self, self.request, self.environ))

    class LoggedErrorTask(error_class):
        def service(self):
            failed = vars(self.channel).pop("pywarp_failed", None)  # not getattr: a dispatcher asks its socket
            try:
                error_class.service(self)
            finally:
                if failed is None:  # a request waitress refused (400, 413, 431, ...)
                    write(_task_line(self, self.request, None))
                else:  # the app's request that failed before its response began: what it asked, the 500 sent
                    write(_task_line(self, failed.request, failed.environ))

    return type(channel_class.__name__, (channel_class,), {"task_class": LoggedTask, "error_task_class": LoggedErrorTask})


def _has(cls, names):
    return isinstance(cls, type) and all(hasattr(cls, name) for name in names)


def _task_line(task, request, environ):
    status = task.status.split(" ", 1)[0]
    length = "-" if task.content_length is None else task.content_length
    if environ is not None:
        return _log_line(environ, status, length)
    command = getattr(request, "command", None)
    if command:
        uri = quote(getattr(request, "path", None) or "") + ("?" + request.query if getattr(request, "query", None) else "")
        line = "%s %s HTTP/%s" % (command, uri, request.version)
    else:
        line = "-"
    return _line(task.channel.addr[0], line, status, length)


def with_access_log(app, write):
    """The app wrapped to write a line per request at its start_response: for a waitress whose task
    classes task_logging_channel does not know. It misses the 500 waitress sends when the app raises
    before its start_response, and the requests waitress refuses."""
    def logged(environ, start_response):
        def start(status, headers, exc_info=None):
            length = next((v for k, v in headers if k.lower() == "content-length"), "-")
            write(_log_line(environ, status.split(" ", 1)[0], length))
            return start_response(status, headers, exc_info)

        return app(environ, start)

    return logged


class AccessLines:
    """The access log's lines on stdout. Task threads only append them: a write from each of 32 task
    threads cost CPU time (bench/waitress-log.mjs). The loop's thread writes them after each turn of
    the loop, all of a turn's lines in one os.write past the text layer. A task's end pulls the
    loop's trigger, so its line goes out in the turn that sends its response (a client gone by then:
    at the next turn, within the loop's timeout). A SIGKILL can lose the lines of one turn."""

    def __init__(self, out):
        out.flush()
        self.fd = out.fileno()
        self.pending = []
        self.append = self.pending.append

    def flush(self):
        n = len(self.pending)
        if n:
            data = "".join(self.pending[:n]).encode("utf-8", "backslashreplace")
            del self.pending[:n]  # what task threads appended since stays
            while data:
                data = data[os.write(self.fd, data):]


def _log_line(environ, status, length):
    uri = quote(environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", ""))
    if environ.get("QUERY_STRING"):
        uri += "?" + environ["QUERY_STRING"]
    request = "%s %s %s" % (environ.get("REQUEST_METHOD"), uri, environ.get("SERVER_PROTOCOL"))
    return _line(environ.get("REMOTE_ADDR", "-"), request, status, length)


def _line(client, request, status, length):
    """An access log line in the common log format."""
    return '%s - - [%s] "%s" %s %s\n' % (client, pywarp_logtime.now(), request, status, length)


def _idle(channel):
    return not channel.requests and channel.request is None and not channel.total_outbufs_len


def _all(sockets, kind):
    return [d for d in list(sockets.values()) if isinstance(d, kind)]


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
