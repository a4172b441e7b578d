# The app under gunicorn. docker-compose.yml runs it with PostgreSQL, and runs the task worker
# (`manage.py db_worker`) and the migrations from this same image with other commands.
FROM python:3.13-slim

ENV DEBUG=0 \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    STATIC_ROOT=/app/staticfiles \
    COLLECTSTATIC=0

WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY . .
# Static files are collected here, once, into the image (root-owned, so bin/start must not
# write them again: COLLECTSTATIC=0 above).
RUN SECRET_KEY=build-only DEBUG=0 python manage.py collectstatic --noinput \
    && useradd --system --home /app careerladder
USER careerladder

EXPOSE 8000
CMD ["sh", "bin/start"]
