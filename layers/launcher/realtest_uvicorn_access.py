"""pywarp_uvicorn_access with a real uvicorn: the fast line is uvicorn's own, byte for byte, and only uvicorn's
own logging configuration takes the fast path.

Needs a venv with uvicorn: PYWARP_TEST_VENV=<venv> python3 -m unittest discover -s layers/launcher -p 'realtest_*.py'
"""
import unittest

from realtest_support import venv_json
from realtest_servers import HERE

# uvicorn's logging configured as its Config does, the access handler's stream swapped for a StringIO;
# every case logged by logging's own Logger.info and by the installed info(). Also counts the records
# made for uvicorn.access: the fast path makes none. Prints JSON.
COMPARE = r"""
import io, json, logging, sys
sys.path.insert(0, sys.argv[1])
from uvicorn.config import Config
import pywarp_uvicorn_access as access

made = []
make_record = logging.Logger.makeRecord
def counting(self, name, *args, **kwargs):
    if name == access.LOGGER:
        made.append(name)
    return make_record(self, name, *args, **kwargs)
logging.Logger.makeRecord = counting

def configured(**options):
    Config(app="asgi:app", **options)
    logger = logging.getLogger(access.LOGGER)
    for handler in logger.handlers:
        handler.stream = io.StringIO()
    return logger

def written(logger):
    return "".join(h.stream.getvalue() for h in logger.handlers)

cases = [
    ("127.0.0.1:51234", "GET", "/", "1.1", 200),
    ("::1:8080", "POST", "/a%20b?x=1&y=%22", "1.0", 404),
    ("", "GET", "/none", "1.1", 599),
    ("10.0.0.1:1", "PATCH", "/q", "2", 500),
]
access.install()
pairs = []
fast_records = 0
for case in cases:
    logger = configured()
    logging.Logger.info(logger, access.MESSAGE, *case)
    slow = written(logger)
    logger = configured()
    before = len(made)
    logger.info(access.MESSAGE, *case)
    fast_records += len(made) - before
    pairs.append([slow, written(logger)])

def records(change):
    del made[:]
    logger = configured(**change.pop("options", {}))
    for name, value in change.items():
        if name == "handler":
            logger.addHandler(logging.StreamHandler(io.StringIO()))
        elif name == "handler_filter":
            logger.handlers[0].addFilter(lambda record: True)
        else:
            setattr(logger, name, value)
    logger.info(access.MESSAGE, *cases[0])
    return len(made)

# colours last: uvicorn's Config writes use_colors into its default configuration, for every Config after it
changes = {
    "default": {},
    "another format": {"options": {"log_config": {"version": 1, "disable_existing_loggers": False,
        "formatters": {"a": {"()": "uvicorn.logging.AccessFormatter", "fmt": "%(client_addr)s %(status_code)s"}},
        "handlers": {"a": {"class": "logging.StreamHandler", "formatter": "a", "stream": "ext://sys.stdout"}},
        "loggers": {"uvicorn.access": {"handlers": ["a"], "level": "INFO", "propagate": False}}}}},
    "another handler": {"handler": True},
    "a handler's filter": {"handler_filter": True},
    "propagation": {"propagate": True},
    "colours": {"options": {"use_colors": True}},
}
print(json.dumps({"pairs": pairs, "fast_records": fast_records, "records": {k: records(v) for k, v in changes.items()}}))
"""


class UvicornAccessLineTest(unittest.TestCase):
    def test_the_fast_line_is_uvicorns_default_line(self):
        result = self.compare()
        self.assertEqual(len(result["pairs"]), 4)
        for slow, fast in result["pairs"]:
            self.assertEqual(fast, slow)
        self.assertEqual(result["pairs"][0][1], 'INFO:     127.0.0.1:51234 - "GET / HTTP/1.1" 200 OK\n')
        self.assertEqual(result["fast_records"], 0)

    def test_only_uvicorns_own_configuration_takes_the_fast_path(self):
        self.assertEqual(self.compare()["records"], {
            "default": 0,
            "another format": 1,
            "another handler": 1,
            "a handler's filter": 1,
            "propagation": 1,
            "colours": 1,
        })

    def compare(self):
        return venv_json(self, COMPARE, HERE)


if __name__ == "__main__":
    unittest.main()
