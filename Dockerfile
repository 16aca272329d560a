# syntax=docker/dockerfile:1
#
# Production image: `docker build -t mediation-site .`
# The builder stage installs the pinned dependencies into /opt/venv, compiles
# the gettext catalogues and collects the static files; the runtime stage gets
# only the results, with no compiler and no gettext.
# Migrations are not run here: docker-compose.yml has a separate `migrate` step.

ARG PYTHON_IMAGE=python:3.12-slim-bookworm

FROM ${PYTHON_IMAGE} AS builder

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1

RUN apt-get update \
    && apt-get install -y --no-install-recommends build-essential gettext \
    && rm -rf /var/lib/apt/lists/*

RUN python -m venv /opt/venv
ENV PATH="/opt/venv/bin:$PATH"

WORKDIR /app

# Dependencies first, so that code changes do not reinstall them. The project
# itself has no packages ([tool.setuptools] packages = []): this installs only
# its pinned dependencies.
COPY pyproject.toml constraints.txt ./
RUN pip install -c constraints.txt ".[production]"

COPY . .

# Build-time placeholders, only so that the production settings import; none
# of them reaches the runtime image.
RUN export DJANGO_SETTINGS_MODULE=mediation_site.settings.production \
        SECRET_KEY=build-only-not-a-secret \
        ALLOWED_HOSTS=build.invalid \
        DATABASE_URL=sqlite:////tmp/build.sqlite3 \
    && python manage.py compilemessages --ignore 'var/*' -v 0 \
    && python manage.py collectstatic --noinput -v 0 \
    && rm -f /tmp/build.sqlite3 \
    && python -m compileall -q /app/apps /app/mediation_site


FROM ${PYTHON_IMAGE} AS runtime

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PATH="/opt/venv/bin:$PATH" \
    DJANGO_SETTINGS_MODULE=mediation_site.settings.production \
    PORT=8000 \
    MEDIA_ROOT=/app/var/media

RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --home-dir /app --no-create-home \
        --shell /usr/sbin/nologin app

COPY --from=builder /opt/venv /opt/venv
# Code and collected static files stay owned by root (read-only to the app);
# only the media directory is writable.
COPY --from=builder /app /app
RUN mkdir -p /app/var/media && chown app:app /app/var/media

WORKDIR /app
USER app

EXPOSE 8000

# Sends the first of ALLOWED_HOSTS as Host, or Django would refuse the probe with a 400.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request as u; h = os.environ.get('ALLOWED_HOSTS', '').split(',')[0].strip().lstrip('.'); h = h if h and h != '*' else 'localhost'; r = u.urlopen(u.Request('http://127.0.0.1:%s/healthz/' % os.environ.get('PORT', '8000'), headers={'Host': h}), timeout=4); raise SystemExit(r.status != 200)"]

CMD ["gunicorn", "--config", "gunicorn.conf.py"]
