GREETING = "Hello from Pipfile.lock!"
