"""A WSGI entry point for the servers: the app named by PYWARP_WSGI_APP (module:callable, or
module:factory() for an app factory, called once), wrapped with WhiteNoise serving the collected
static files when PYWARP_STATIC_ROOT is set (for servers that cannot serve files themselves).
The launcher sets these variables and puts this directory on PYTHONPATH."""
import importlib
import os


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


application = wrap(load(os.environ["PYWARP_WSGI_APP"]))
