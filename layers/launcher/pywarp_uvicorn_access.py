"""uvicorn's access log line, written without the logging module (README, Benchmarks: "ASGI").

uvicorn logs each response with uvicorn.access's info(): a LogRecord (the caller's frame looked up, the
thread's and process's names), then its AccessFormatter copies the record twice to format it. Under
uvicorn's own logging configuration, one StreamHandler to stdout with AccessFormatter's default format
and no colours, the same line is built directly and written as the handler writes it: under its lock,
flushed. Anything else (a --log-config, colours on a terminal, a filter, another handler, propagation,
a renamed level) takes uvicorn's path. That is checked at every line, as the app may configure logging
once imported.
"""
import http
import logging

from uvicorn.logging import AccessFormatter

LOGGER = "uvicorn.access"
# What uvicorn's HTTP protocols pass to info() and its default format, the same in 0.17 and 0.32 (Debian
# 12's and 13's: realtest_uvicorn_access compares the lines); a release that changes either takes its own path.
MESSAGE = '%s - "%s %s HTTP/%s" %d'
DEFAULT_FORMAT = '%(levelprefix)s %(client_addr)s - "%(request_line)s" %(status_code)s'
# ColourizedFormatter's levelprefix for INFO (the name, a colon, padded to 9) and the format's space.
PREFIX = "INFO:     "
PHRASES = {status.value: status.phrase for status in http.HTTPStatus}


def install():
    """Gives uvicorn.access an info() that takes the fast path when it may."""
    logger = logging.getLogger(LOGGER)

    def info(msg, *args, **kwargs):
        handler = _fast_handler(logger, msg, args, kwargs)
        if handler is None:
            return type(logger).info(logger, msg, *args, **kwargs)
        handler.acquire()
        try:
            handler.stream.write(access_line(*args) + handler.terminator)
            handler.stream.flush()
        except Exception:
            handler.handleError(logger.makeRecord(logger.name, logging.INFO, "(unknown file)", 0, msg, args, None))
        finally:
            handler.release()

    logger.info = info


def _fast_handler(logger, msg, args, kwargs):
    """The logger's one handler when uvicorn's line from uvicorn's configuration is asked for; else None."""
    handlers = logger.handlers
    if msg != MESSAGE or len(args) != 5 or kwargs or len(handlers) != 1 or logger.filters or logger.propagate:
        return None
    handler = handlers[0]
    formatter = handler.formatter
    if type(handler) is not logging.StreamHandler or handler.filters or handler.level > logging.INFO:
        return None
    if type(formatter) is not AccessFormatter or formatter.use_colors or formatter._fmt != DEFAULT_FORMAT:
        return None
    if type(formatter._style) is not logging.PercentStyle or logging.getLevelName(logging.INFO) != "INFO":
        return None
    return handler if logger.isEnabledFor(logging.INFO) else None


def access_line(client_addr, method, path, http_version, status_code):
    """AccessFormatter's default line, without colours."""
    status_code = int(status_code)
    return '%s%s - "%s %s HTTP/%s" %d %s' % (
        PREFIX, client_addr, method, path, http_version, status_code, PHRASES.get(status_code, ""))
