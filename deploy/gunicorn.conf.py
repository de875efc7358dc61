"""gunicorn settings for the webhook: `gunicorn --config deploy/gunicorn.conf.py 'webhook:create_app()'`.

Environment: PORT (default 8000, on 127.0.0.1: a TLS proxy sits in front), BIND (a whole
bind address, overrides PORT), WEB_CONCURRENCY (worker processes).
"""

import os

# Loopback only by default: Alexa needs HTTPS, which the proxy in front terminates.
bind = [os.environ.get("BIND") or f"127.0.0.1:{os.environ.get('PORT', '8000')}"]

# A turn is a short Redis round trip, so processes x threads is plenty; capped at 8
# because each worker holds its own Redis pool and big machines would overshoot.
workers = int(os.environ.get("WEB_CONCURRENCY") or min(2 * (os.cpu_count() or 1) + 1, 8))
worker_class = "gthread"
threads = 4

# Alexa gives up after about 8 s: a request still running at 10 s helps nobody.
timeout = 10
graceful_timeout = 10
keepalive = 5  # Alexa reuses connections; keep them a little longer than its gaps

# Path, status and duration only: no query string, no headers, no client address,
# so nothing in the access log identifies a runner.
accesslog = "-"
access_log_format = '%(t)s "%(m)s %(U)s" %(s)s %(M)sms'

# Each worker builds its own app (and its own Redis connections) after the fork.
preload_app = False

# gunicorn >= 25 opens a control socket at one shared default path per user, so two
# instances (make run beside a test server) would collide; we do not use gunicornc.
control_socket_disable = True
