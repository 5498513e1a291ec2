# gunicorn settings for partyorg; started by deploy/systemd/partyorg-web.service.
import multiprocessing

bind = "127.0.0.1:8001"
workers = multiprocessing.cpu_count() * 2 + 1
threads = 2
worker_class = "gthread"
# The master loads the app and warms it (partyorg/warmup.py) once; every worker, and each
# one started again after max_requests, forks from it ready to serve. Code changes need
# a restart of the service, as they did before (the unit has no reload).
preload_app = True
timeout = 60
max_requests = 2000
max_requests_jitter = 200
accesslog = "-"
errorlog = "-"
