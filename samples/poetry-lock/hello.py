GREETING = "Hello from poetry.lock!"
