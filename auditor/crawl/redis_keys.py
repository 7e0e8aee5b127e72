"""The Redis keys a distributed crawl's workers and its ingest step coordinate through.

The frontier, duplicate filter and item keys are scrapy-redis settings
(`AUDITOR_REDIS_SETTINGS` in auditor/crawl/settings.py); these are the auditor's own.
"""

KEYS = {
    "portal": "auditor:portal",  # JSON: the crawl's portal name, config and settings (first worker's)
    "worker": "auditor:worker:",  # + host:pid, expiring: the live workers (value: pages so far)
    "workers": "auditor:workers",  # set of every worker that joined the crawl
    "done": "auditor:done",  # JSON per worker that closed: worker, reason, pages
    "directories": "auditor:directories",  # /x/ ↔ /x/index.html: the sha1 of the first one read
    "directory_forms": "auditor:directory_forms",  # /x/ ↔ /x/index.html: the name the crawl reads it under
    "tokens": "auditor:tokens:",  # + host: the per-host token bucket every worker draws from
}
# A worker not heard of for this long is gone (killed): its key expires.
HEARTBEAT_SECONDS = 30
