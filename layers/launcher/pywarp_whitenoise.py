"""A WSGI entry point: the app named by PYWARP_WSGI_APP (module:callable), with WhiteNoise serving
the collected static files (PYWARP_STATIC_ROOT at PYWARP_STATIC_URL), for servers that cannot
serve files themselves. The launcher sets these variables and puts this directory on PYTHONPATH."""
import importlib
import os

from whitenoise import WhiteNoise


def load(target):
    module, _, name = target.partition(":")
    obj = importlib.import_module(module)
    for part in name.split("."):
        obj = getattr(obj, part)
    return obj


application = WhiteNoise(
    load(os.environ["PYWARP_WSGI_APP"]),
    root=os.environ["PYWARP_STATIC_ROOT"],
    prefix=os.environ["PYWARP_STATIC_URL"],
)
