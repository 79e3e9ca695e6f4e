"""The time of an access log line, formatted once a second: strftime per request costs a good share
of a short request's line, and the second rarely changes between two of them."""
import time

_last = [None, ""]  # the second last formatted, and its text


def now():
    """Common Log Format's time, e.g. 30/Nov/2026:10:00:00 +0000."""
    second = int(time.time())
    if second != _last[0]:
        _last[:] = [second, time.strftime("%d/%b/%Y:%H:%M:%S %z", time.localtime(second))]
    return _last[1]
