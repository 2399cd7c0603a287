# The portal image: web (gunicorn), worker and beat all run from it.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 DJANGO_SETTINGS_MODULE=portal.settings

# WeasyPrint's libraries (Pango, HarfBuzz subsetting) and fonts with every Vietnamese glyph:
# Liberation Serif has Times New Roman's metrics, the usual font of official documents.
# postgresql-client (15 on bookworm, the server's major version): pg_dump/pg_restore for `manage.py backup`/`restore`.
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      libpq5 postgresql-client libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
      fonts-liberation2 fonts-noto-core fonts-dejavu-core gettext \
      build-essential libpq-dev \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt && apt-get purge -y build-essential && apt-get autoremove -y

COPY . .
# Static files (with the hashed manifest that production serving needs) and compiled translations
# are baked into the image; the build-time key is used for nothing else.
RUN DEBUG=1 python manage.py compilemessages -v 0 \
 && DEBUG=0 SECRET_KEY=build-time-only python manage.py collectstatic --noinput -v 0

RUN useradd --system --uid 1000 portal && mkdir -p /data/media /data/private && chown -R portal /data
USER portal
ENV MEDIA_ROOT=/data/media PRIVATE_MEDIA_ROOT=/data/private
EXPOSE 8000
CMD ["gunicorn", "portal.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "60", "--access-logfile", "-"]
