#!/bin/sh
set -e

export SECRET_KEY="${SECRET_KEY:-$(openssl rand -hex 32)}"
export DJANGO_SUPERUSER_PASSWORD="${DJANGO_SUPERUSER_PASSWORD:-admin}"
export DJANGO_SUPERUSER_USERNAME="${DJANGO_SUPERUSER_USERNAME:-admin}"

python manage.py migrate --noinput
exec gunicorn app.wsgi:application --bind "0.0.0.0:${PORT:-8000}"
