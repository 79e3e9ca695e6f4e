"""An app factory in the src/ layout, the shape Flask's tutorial teaches."""
from flask import Flask


def create_app():
    app = Flask(__name__)

    @app.route("/")
    def index():
        return "Hello from the shop factory!\n"

    return app
