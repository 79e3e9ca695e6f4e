"""What pywarp_gunicorn changes in gunicorn besides the stop signals, both measured (README, Benchmarks).

Keep-alive spread. A gthread worker accepts every connection it can (up to --worker-connections, 1000)
and keeps each for as long as the client does, so with keep-alive clients (a proxy's pool, a load
tester) the first workers to wake take most of them while others have threads free: 32 keep-alive
clients on a 10 ms route for 4 s, 4 workers x 8 threads, got 1730 to 2782 responses per worker (with
this: 2110 to 2323, and 10 to 37 reconnects in all). Earlier attempts were replaced. Bounding the
connections a worker takes starves the clients beyond the bound in the backlog (8 per worker: 64 wrk
clients on 4 workers timed out). Closing a connection when the worker holds more than threads as it asks
evicts whichever client asks next, and the evicted ones wander (one response in two said close).
Bounding only the idle ones, threads per worker, left them uneven (903 to 2882 responses per worker).
Here a worker never refuses a connection, and keeps alive only those it accepted while it held no more
than it has threads; one accepted beyond that is served once, its response says `Connection: close`, and
its client reconnects to whichever worker accepts first. Every connection is served whatever the load;
the excess ones cost a reconnect until they land where a thread is free.

Access log. gunicorn formats each line from a dict of every request header, response header and
environ variable, then through the logging module: about 40 us a line, a tenth or more of a hello-world
request. For its default format, the only one whose lines are known here, the line is built directly
(the same text, quotes escaped alike) and written with one os.write to the access log's stream,
unbuffered as before: nothing is lost when a worker is killed. Any other format, a log config or
syslog keeps gunicorn's own path.
"""
import os
import sys

from gunicorn import glogging

import pywarp_logtime


def spread_keepalive(worker_class, cfg):
    """For a gthread worker class, one that keeps alive only the connections it accepted while it held
    no more than threads (the one accepted included); the others are closed after their first response.
    Any other worker class, or any worker class when the user chose --worker-connections (then gunicorn's
    own bound stays), is returned as it is."""
    gthread = sys.modules.get("gunicorn.workers.gthread")
    if gthread is None or not issubclass(worker_class, gthread.ThreadWorker):
        return worker_class
    if cfg.worker_connections != _default("worker_connections"):
        return worker_class

    class Spread(worker_class):
        def enqueue_req(self, conn):
            if not hasattr(conn, "pywarp_kept"):  # just accepted (else: a kept one's next request)
                conn.pywarp_kept = self.nr_conns <= self.cfg.threads
            super().enqueue_req(conn)

        def handle_request(self, req, conn):
            if not conn.pywarp_kept:
                req.must_close = True  # the response says `Connection: close`, and the worker closes it
            return super().handle_request(req, conn)

    return Spread


def _default(name):
    from gunicorn.config import KNOWN_SETTINGS

    return next(s.default for s in KNOWN_SETTINGS if s.name == name)


DEFAULT_ACCESS_FORMAT = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s"'


def install_fast_access():
    """Patches gunicorn's Logger: setup() decides whether the fast path applies, access() takes it."""
    setup, access = glogging.Logger.setup, glogging.Logger.access

    def fast_setup(self, cfg):
        setup(self, cfg)
        self.pywarp_access_fd = _fast_fd(self, cfg)

    def fast_access(self, resp, req, environ, request_time):
        fd = getattr(self, "pywarp_access_fd", None)
        if fd is None:
            return access(self, resp, req, environ, request_time)
        try:
            data = access_line(self, resp, environ).encode("utf-8", "backslashreplace")
            while data:
                data = data[os.write(fd, data):]
        except Exception:
            self.pywarp_access_fd = None
            access(self, resp, req, environ, request_time)

    glogging.Logger.setup, glogging.Logger.access = fast_setup, fast_access


def _fast_fd(logger, cfg):
    """stdout's descriptor when the access log is gunicorn's default line to stdout (`-`) and nothing
    else (a log config, syslog, another handler) gets the access records; else None."""
    if cfg.accesslog != "-" or cfg.access_log_format != DEFAULT_ACCESS_FORMAT or cfg.syslog or cfg.logconfig:
        return None
    if any(getattr(cfg, name, None) for name in ("logconfig_dict", "logconfig_json")):
        return None
    handlers = logger.access_log.handlers
    if len(handlers) != 1 or not getattr(handlers[0], "_gunicorn", False):
        return None
    try:
        handlers[0].flush()
        return handlers[0].stream.fileno()
    except (AttributeError, OSError, ValueError):
        return None



def access_line(logger, resp, environ):
    """The default format's line: h l u t "r" s b "f" "a", strings with " escaped as gunicorn's SafeAtoms do."""
    status = resp.status
    if isinstance(status, str):
        status = status.split(None, 1)[0]
    sent = getattr(resp, "sent", None)
    user = logger._get_user(environ) if "HTTP_AUTHORIZATION" in environ else None
    return '%s - %s %s "%s %s %s" %s %s "%s" "%s"\n' % (
        _safe(environ.get("REMOTE_ADDR", "-")),
        _safe(user or "-"),
        "[%s]" % pywarp_logtime.now(),
        _safe(environ["REQUEST_METHOD"]),
        _safe(environ["RAW_URI"]),
        _safe(environ["SERVER_PROTOCOL"]),
        status,
        str(sent) if sent is not None else "-",
        _safe(environ.get("HTTP_REFERER", "-")),
        _safe(environ.get("HTTP_USER_AGENT", "-")),
    )


def _safe(value):
    return value.replace('"', '\\"') if isinstance(value, str) else value
