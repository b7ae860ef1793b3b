"""gunicorn settings for fbss_eval (``gunicorn -c gunicorn.conf.py 'fbss_eval:create_app()'``).

On the 2-core machines of design.md section 6 the work is CPU-bound: sync workers, two by default
(reliability-security.md 2.2 measured no gain from more, and worse tails with threads). PDF renders
hold a worker for up to a few seconds; ``FBSS_PDF_CONCURRENCY`` (fbss_eval/pdf/limit.py) caps how many
workers render at once so a burst of PDFs cannot take every worker from the section pages."""

import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "sync"
# WeasyPrint's memory creeps with renders (reliability-security.md 2.1: 67 -> 122 MB over 200):
# recycle each worker after about 500 requests, staggered so they do not restart together.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "500"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", "50"))
# Above the slowest expected render (a long full record: several seconds on a busy machine).
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 2
# Each worker imports the app itself (no database connection made before the fork is shared).
preload_app = False
# Behind a TLS proxy on this host: trust its X-Forwarded-* headers only from it.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = os.environ.get("GUNICORN_ACCESSLOG")  # None: the app's own access log (fbss_eval/access_log.py)
errorlog = "-"


def post_worker_init(worker):  # type: ignore[no-untyped-def]
    """Once a worker has loaded the app: import WeasyPrint (about 0.4 s, which its first PDF
    would otherwise pay), then freeze the start-up heap so no later collection walks it
    (fbss_eval/heap.py)."""
    import fbss_eval.pdf.render  # noqa: F401
    from fbss_eval.heap import settle

    worker.log.info("worker %s: %d start-up objects frozen for the garbage collector", worker.pid, settle())
