from flask import Flask

from hello import GREETING

app = Flask(__name__)


@app.route("/")
def hello():
    return GREETING
