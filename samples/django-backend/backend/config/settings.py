# A Django project in backend/, as many repositories with a front end beside it are laid out.
# No WSGI_APPLICATION: Django's default, config.wsgi, is served.
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY = "not-a-secret"
DEBUG = False
ALLOWED_HOSTS = ["*"]
INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.staticfiles",
    "pages",
]
MIDDLEWARE = []
ROOT_URLCONF = "config.urls"
STATIC_URL = "/static/"
DATABASES = {}
