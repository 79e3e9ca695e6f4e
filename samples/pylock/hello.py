GREETING = "Hello from pylock.toml!"
