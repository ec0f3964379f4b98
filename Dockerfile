# syntax=docker/dockerfile:1
#
# SIGAP production image: gunicorn serving config.wsgi, whitenoise serving the collected static files.
# The same image runs the Celery worker and beat (see docker-compose.yml). All configuration comes from the
# environment at run time (see .env.example); nothing secret is baked into the image.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    SIGAP_FILES_DIR=/data/files

# libmagic1: python-magic checks what an uploaded attachment really is.
# gettext:   msgfmt, which compilemessages runs below.
# pango + a font: WeasyPrint draws the gratifikasi PDF for KPK.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libmagic1 gettext libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app

# Requirements before the source, so a code change does not reinstall every package.
COPY requirements.txt ./
RUN pip install -r requirements.txt

COPY . .

# Build-time Django steps.
#
# collectstatic must run with the *production* storage (whitenoise's CompressedManifestStaticFilesStorage,
# selected by SIGAP_ENV=production): it writes staticfiles.json, and without that manifest every
# {% static %} in production fails with "Missing staticfiles manifest entry". Production settings refuse to
# load without their secrets, so this step gets throwaway placeholders that exist only inside this RUN
# (neither command opens a database or Redis connection, and the random data key is never used to encrypt
# anything). SIGAP_VAR_DIR points into /tmp, removed afterwards, so no generated file stays in a layer.
#
# compilemessages only when there is a locale directory: without one it stops with an error.
RUN set -eu; \
    export SIGAP_ENV=production \
           SIGAP_VAR_DIR=/tmp/sigap-build \
           SECRET_KEY=build-only-placeholder-not-a-secret \
           ALLOWED_HOSTS=build.invalid \
           DATABASE_URL=postgres://build@build.invalid:5432/build \
           REDIS_URL=redis://build.invalid:6379/0; \
    SIGAP_DATA_KEYS="$(python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')"; \
    export SIGAP_DATA_KEYS; \
    if [ -n "$(find . -type d -name locale -print)" ]; then \
        python manage.py compilemessages; \
    fi; \
    python manage.py collectstatic --noinput; \
    rm -rf /tmp/sigap-build

# Run as an unprivileged user with a fixed numeric id (so orchestrators can verify "not root"). The code
# stays owned by root, i.e. read-only for the app; it may write only to the attachment store and var/.
# /data/files is created here with the right owner so a fresh named volume mounted on it inherits that.
RUN groupadd --system --gid 10001 sigap \
 && useradd --system --uid 10001 --gid sigap --no-create-home --home-dir /nonexistent \
            --shell /usr/sbin/nologin sigap \
 && mkdir -p /data/files /app/var \
 && chown sigap:sigap /data/files /app/var
USER 10001:10001

VOLUME ["/data/files"]
EXPOSE 8000

# The access log format deliberately leaves out the client address (%(h)s) and the user agent (%(a)s), and
# the referrer (%(f)s) too: an anonymous whistleblower must not be identifiable from our logs. Keep this in
# step with the web command in docker-compose.yml. The logger class drops the lines of the public intake pages
# altogether: their timestamp would say when a whistleblower acted.
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-", "--access-logformat", "%(t)s \"%(r)s\" %(s)s %(b)s", "--logger-class", "config.gunicorn_logging.PrivateAccessLogger"]
