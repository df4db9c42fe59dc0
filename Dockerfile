# The portal's image: the same image runs the web process (gunicorn), the Celery worker and beat.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

COPY requirements.lock .
RUN pip install --require-hashes -r requirements.lock

COPY . .

# Collect static files at build time; the key is a throw-away used for this step only.
RUN DJANGO_DEBUG=false DJANGO_SECRET_KEY=build-only-not-secret DJANGO_ALLOWED_HOSTS=localhost \
    python manage.py collectstatic --noinput \
    && useradd --system --uid 1000 --home-dir /app vpi \
    && mkdir -p /app/var/media /app/var/mail \
    && chown -R vpi /app/var

USER vpi
EXPOSE 8000

CMD ["gunicorn", "vpi_portal.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
