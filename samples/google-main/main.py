# Google Cloud's convention: main.py defines `app`, the platform serves main:app.
from flask import Flask

app = Flask(__name__)


@app.route("/")
def hello():
    return "Hello from main.py!\n"
