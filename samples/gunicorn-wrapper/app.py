"""Starts gunicorn from Python, as warpdrive's "teeny web app plus a gunicorn wrapper"."""
import os

from gunicorn.app.base import BaseApplication

from hello import application


class Wrapper(BaseApplication):
    def load_config(self):
        host = os.environ.get("PYWARP_HOST", "0.0.0.0")
        self.cfg.set("bind", f"{host}:{os.environ.get('PORT', '8000')}")
        self.cfg.set("workers", 2)
        self.cfg.set("accesslog", "-")

    def load(self):
        return application


if __name__ == "__main__":
    Wrapper().run()
