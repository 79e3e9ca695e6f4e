"""A WSGI entry point for the servers: the app named by PYWARP_WSGI_APP (module:callable, or
module:factory() for an app factory, called once), wrapped with WhiteNoise serving the collected
static files when PYWARP_STATIC_ROOT is set (for servers that cannot serve files themselves).
The launcher sets these variables and puts this directory on PYTHONPATH.

With PYWARP_START_GATE set, the app is imported behind the start gate (pywarp_gate)."""
import importlib
import os

import pywarp_gate


def load(target):
    module, _, name = target.partition(":")
    factory = name.endswith("()")
    obj = importlib.import_module(module)
    for part in name[:-2 if factory else None].split("."):
        obj = getattr(obj, part)
    return obj() if factory else obj


def wrap(app):
    root = os.environ.get("PYWARP_STATIC_ROOT")
    if not root:
        return app
    from whitenoise import WhiteNoise

    return WhiteNoise(app, root=root, prefix=os.environ["PYWARP_STATIC_URL"])


pywarp_gate.enter()  # a mod_wsgi daemon has entered it already (pywarp_gate.pth)
try:
    application = wrap(load(os.environ["PYWARP_WSGI_APP"]))
finally:
    pywarp_gate.leave()
