"""How the site's addresses are laid out: every public page lives under a language
prefix (``/en/``, ``/ar/``), and these paths live outside them on purpose."""

UNPREFIXED = ("/api/", "/admin/", "/documents/", "/static/", "/media/", "/healthz/")
