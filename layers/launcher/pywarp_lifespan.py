"""uvicorn's lifespan made strict for apps that speak it, as `--lifespan on` without refusing the others.

In uvicorn's default mode (`auto`) an exception from the app's lifespan is taken for "lifespan
unsupported" and the server starts anyway, unless the app reported the failure itself. Here an app
that has taken the startup event supports lifespan: an exception after that fails the start (with
its traceback), as `on` would. An app that refuses the lifespan scope before taking it (Django's
ASGI handler) is served without lifespan, which `on` would refuse.
"""


def strict(lifespan_class):
    init = lifespan_class.__init__

    def init_taking_note(self, config):
        init(self, config)
        receive = self.receive

        async def receive_startup():
            # from here on the app speaks lifespan: its exceptions are failures, not "unsupported"
            if self.config.lifespan == "auto":
                self.config.lifespan = "on"
            return await receive()

        self.receive = receive_startup

    lifespan_class.__init__ = init_taking_note


def strict_uvicorn():
    from uvicorn.lifespan.on import LifespanOn

    strict(LifespanOn)
