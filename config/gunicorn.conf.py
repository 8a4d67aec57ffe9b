"""Gunicorn for the platform: `gunicorn -c config/gunicorn.conf.py config.wsgi`.

The reference configuration of docs/how-to/deploy.md, used as is by the multi-process test
(tests/production) and the load test (bench/bench_load.py). Each value can be changed per
machine through the environment, so the file itself stays the same everywhere.
"""

from __future__ import annotations

import os

_cpus = os.cpu_count() or 1

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Threads serve the views (mostly database and template work) while one worker is busy
# with a long request (a PDF, an export); several processes use the cores.
workers = int(os.environ.get("WEB_CONCURRENCY", str(2 * _cpus + 1)))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
# A Local Profile's PDF takes some seconds; anything near this limit is a bug to look at.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "120"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then, so a slow leak never becomes an outage.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = max_requests // 10
# Uploads are buffered by the reverse proxy; these guard the parser itself.
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190
# Only the reverse proxy on this machine may say a request came over HTTPS.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
proc_name = "socprofiles-web"
worker_tmp_dir = os.environ.get("GUNICORN_WORKER_TMP_DIR") or None

# No access log: the application logs one JSON line per request itself, with its route and
# without the client's address or the query string (socprofiles/core/logs.py). Gunicorn's
# own messages are JSON lines too.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact": {"()": "socprofiles.core.logs.RedactFilter"}},
    "formatters": {"json": {"()": "socprofiles.core.logs.JsonFormatter"}},
    "handlers": {
        "error_console": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "filters": ["redact"],
            "stream": "ext://sys.stderr",
        },
        "discard": {"class": "logging.NullHandler"},
    },
    "root": {"level": "INFO", "handlers": []},
    "loggers": {
        "gunicorn.error": {"level": "INFO", "handlers": ["error_console"], "propagate": False},
        # Its access lines name the client's address and the query string: not kept.
        "gunicorn.access": {"level": "WARNING", "handlers": ["discard"], "propagate": False},
    },
}
# No run-time control socket (gunicorn 25+): systemd or the container runtime manages the
# processes, and two instances on one machine would otherwise share its default path.
control_socket_disable = True
