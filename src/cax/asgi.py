# Served by WSGI (gunicorn sync); kept so `check` and tooling that expect it find it.
import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cax.settings")
application = get_asgi_application()
