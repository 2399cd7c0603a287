"""A reference for the benches, not their baseline (that is bench/baseline/, a bare startproject project):
the portal's own project and settings (same middleware, same database connection), with a view that returns
a fixed short response and a view that renders the site shell (base.html) with no content, to show how much
of a page's cost is our middleware and our base template."""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

from django.conf import settings  # noqa: E402
from django.core.wsgi import get_wsgi_application  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.shortcuts import render  # noqa: E402
from django.urls import path  # noqa: E402

application = get_wsgi_application()

from portal import urls as portal_urls  # noqa: E402 - needs the app registry that the line above loads

# Read per request by Django's handler, so swapping it here routes every request to the bare view.
settings.ROOT_URLCONF = __name__


def bare(request):
    return HttpResponse("ok", content_type="text/plain")


def shell(request):
    """The site shell alone (base.html through the 404 page's short body): the floor of any portal page."""
    return render(request, "404.html")


# The portal's own URLs follow, so that base.html can reverse its links; /bare/ matches first.
urlpatterns = [path("bare/", bare), path("shell/", shell), *portal_urls.urlpatterns]
