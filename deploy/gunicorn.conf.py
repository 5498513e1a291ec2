# gunicorn settings for partyorg; started by deploy/systemd/partyorg-web.service.
import multiprocessing

bind = "127.0.0.1:8001"
workers = multiprocessing.cpu_count() * 2 + 1
threads = 2
worker_class = "gthread"
timeout = 60
max_requests = 2000
max_requests_jitter = 200
accesslog = "-"
errorlog = "-"
