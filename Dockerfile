# syntax=docker/dockerfile:1
# Stage 1: front-end assets (GOV.UK Frontend and our stylesheet).
FROM node:20-slim AS assets
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY frontend ./frontend
RUN mkdir -p static/build \
 && node_modules/.bin/sass --no-source-map --style=compressed --load-path=node_modules frontend/app.scss static/build/app.css \
 && cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js* static/build/

# Stage 2: Python wheels, built where compilers may exist.
FROM python:3.11-slim AS build
WORKDIR /app
COPY pyproject.toml constraints.txt ./
COPY config ./config
COPY core ./core
COPY inspections ./inspections
COPY plans ./plans
COPY actions ./actions
RUN python -m venv /venv && /venv/bin/pip install --no-cache-dir -c constraints.txt .

# Stage 3: the runtime image: no build tools, a non-root user. postgresql-client gives
# pg_dump/pg_restore 15 for `manage.py backup` and `restore`.
FROM python:3.11-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-liberation2 postgresql-client \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --create-home --uid 10001 app
ENV PATH=/venv/bin:$PATH PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 VAR_DIR=/var/lib/closing-the-loop
WORKDIR /app
COPY --from=build /venv /venv
COPY --chown=app:app . .
COPY --from=assets --chown=app:app /app/static/build ./static/build
COPY --from=assets --chown=app:app /app/node_modules/govuk-frontend/dist/govuk/assets ./node_modules/govuk-frontend/dist/govuk/assets
RUN mkdir -p $VAR_DIR/uploads $VAR_DIR/static && chown -R app:app $VAR_DIR \
 && DEBUG=true python manage.py collectstatic --no-input
USER app
EXPOSE 8000
# gunicorn: workers recycled now and then (memory), 30 s to finish requests on SIGTERM.
CMD ["sh", "-c", "exec gunicorn config.wsgi --bind 0.0.0.0:8000 --workers ${WEB_CONCURRENCY:-$(( $(nproc) * 2 + 1 ))} --timeout 60 --graceful-timeout 30 --max-requests 1000 --max-requests-jitter 100 --access-logfile -"]
