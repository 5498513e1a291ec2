"""The service worker that keeps the minutes form usable without a connection
(static/js/offline.js does the saving and sending).

Served by a view at the root, not from /static/: a worker controls only the pages under
its own URL, and the manifest storage renames static files by their content. Rendering
it here also gives it the current (hashed) URLs of the files it keeps, so a deployment
that changes them changes the worker, which the browser then installs afresh.
"""

import hashlib

from django.conf import settings
from django.contrib.staticfiles.storage import ManifestFilesMixin, staticfiles_storage
from django.shortcuts import render
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

# What every page that works offline needs.
OFFLINE_FILES = ["css/app.css", "css/meetings.css", "js/offline.js", "js/menu.js"]


@require_GET
@never_cache
def service_worker(request):
    files = [static(name) for name in OFFLINE_FILES]
    return render(
        request,
        "offline/service_worker.js",
        {
            "files": files,
            "version": hashlib.sha256(" ".join(files).encode()).hexdigest()[:12],
            "static_prefix": settings.STATIC_URL
            if settings.STATIC_URL.startswith("/")
            else f"/{settings.STATIC_URL}",
            # Renamed by content: a file kept once never changes under its name.
            "hashed_names": isinstance(staticfiles_storage, ManifestFilesMixin),
        },
        content_type="text/javascript; charset=utf-8",
    )
