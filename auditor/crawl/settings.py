"""Every default of the crawl, in one place (Scrapy reads this module via scrapy.cfg).

Two profiles: the settings below are for real government portals (polite: robots.txt,
a per-host delay, AutoThrottle). `AUDITOR_LOOPBACK_SETTINGS` replaces some of them
when every host of the portal config is a loopback address (the sample portal, tests,
benchmarks): nobody is there to be polite to, so the crawl runs at full speed. The
spider picks the profile from the config; ``-s NAME=VALUE`` and a portal config's
``settings:`` mapping still override either.
"""

from auditor.settings import DEFAULTS

BOT_NAME = "auditor"
SPIDER_MODULES = ["auditor.crawl.spider", "auditor.crawl.worker"]
NEWSPIDER_MODULE = "auditor.crawl"

# A site's webmaster sees who is crawling and how to reach us (README has the contact).
# ASCII only: header values are Latin-1 on the wire, and strict gateways reject other bytes.
USER_AGENT = "auditor/0.1 (+zhengwu gongkai audit; contact in README)"

# --- politeness (real portals) -------------------------------------------------------
ROBOTSTXT_OBEY = True
# Government sites are small servers; one request per second per host, adapted by
# AutoThrottle to the site's own latency, keeps the audit invisible to its users.
DOWNLOAD_DELAY = 1.0
CONCURRENT_REQUESTS = 16
# one connection per host to begin with, two at most (auditor/crawl/concurrency.py)
CONCURRENT_REQUESTS_PER_DOMAIN = 1
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0

AUDITOR_LOOPBACK_SETTINGS = {
    "DOWNLOAD_DELAY": 0,
    "AUTOTHROTTLE_ENABLED": False,
    "CONCURRENT_REQUESTS": 32,
    # start modestly; raised while loopback answers fast (auditor/crawl/concurrency.py)
    "CONCURRENT_REQUESTS_PER_DOMAIN": 8,
    "AUDITOR_MAX_CONCURRENCY_PER_HOST": 16,
    "AUDITOR_SLOW_SECONDS": 0.5,
    # Loopback pages answer in milliseconds: a worker idle this long will get no more work.
    "AUDITOR_IDLE_CLOSE_SECONDS": 5,
}

# --- connections (auditor/crawl/pool.py, auditor/crawl/concurrency.py) --------------------
# Per host, the crawl starts at CONCURRENT_REQUESTS_PER_DOMAIN connections and raises the
# number while the host answers fast, up to this, dropping it on slow answers, resets,
# timeouts, 503 and 429. A portal server caps the connections it serves at once, across
# all its sites; a crawler that opens more than it needs waits on their timeouts.
AUDITOR_MAX_CONCURRENCY_PER_HOST = 2
# An answer slower than this many times the host's usual latency (and than the floor
# below) means the server is queueing us: fewer connections.
AUDITOR_SLOW_FACTOR = 4.0
AUDITOR_SLOW_SECONDS = 2.0
# An idle keep-alive connection is closed after this long: well below the 5 s most
# servers keep one open, so the crawler never holds a slot another site waits for.
AUDITOR_IDLE_CONNECTION_SECONDS = 1.0
DOWNLOAD_HANDLERS = {
    "http": "auditor.crawl.pool.PoliteDownloadHandler",
    "https": "auditor.crawl.pool.PoliteDownloadHandler",
}

# --- failures ------------------------------------------------------------------------
# The national inspection standard counts a site unreachable after 15 s; a bit more
# slack before calling a single page timed out, and two retries so a site that
# stumbles and recovers is audited normally (its outcome is the last attempt's).
DOWNLOAD_TIMEOUT = DEFAULTS["page_timeout"]  # the auditor's `page_timeout` setting (auditor/settings.py)
RETRY_ENABLED = True
RETRY_TIMES = 2
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
# Failures are evidence (recorded in `fetches`), not log noise.
RETRY_GIVE_UP_LOG_LEVEL = "INFO"

# --- scope and limits ----------------------------------------------------------------
# Link depth from a start URL (pagination of a list does not add depth).
AUDITOR_DEPTH_LIMIT = 10
# Pages followed per column list (下一页, numbered pager links). A busy news column of a
# district portal runs to hundreds of pages a year (≈20 entries each) and the audit
# needs the whole year; beyond this a pager is taken for a trap.
AUDITOR_MAX_LIST_PAGES = 500
# The evaluation window the crawl keeps to (auditor/crawl/window.py): "FROM..TO" in ISO
# dates, '' to follow everything. None: the portal config's `window:`, else the catalogue's.
AUDITOR_WINDOW = None
# Columns (and entries) whose title holds one of these words hold standing documents, whose
# evidence may be years old: they are read in full whatever the window.
AUDITOR_STANDING_WORDS = ["指南", "目录", "制度", "年报", "年度报告", "清单", "名录", "职能", "机构设置", "规划"]
# Trap defence: a URL with more query parameters than this, a query longer than this,
# or one path segment repeated this often is generated, not published.
AUDITOR_TRAP_MAX_QUERY_PARAMS = 6
AUDITOR_TRAP_MAX_QUERY_LENGTH = 200
AUDITOR_TRAP_MAX_SEGMENT_REPEATS = 3
URLLENGTH_LIMIT = 2083
# Query parameters that carry a session, never content (dropped by canonicalisation).
AUDITOR_SESSION_PARAMS = ["jsessionid", "phpsessid", "sessionid", "session_id", "sid", "aspsessionid"]
# Our own depth and redirect scope guard replace these.
DEPTH_LIMIT = 0
REDIRECT_MAX_TIMES = 10
# HTML pages larger than this are not government articles; fail them as too_large.
DOWNLOAD_MAXSIZE = 16 * 1024 * 1024
DOWNLOAD_WARNSIZE = 0

# --- attachments ---------------------------------------------------------------------
# An attachment's existence, status, type and size are the evidence; its body is read
# only up to this cap (the sha1 is kept only when the whole file fitted).
AUDITOR_ATTACHMENT_MAXSIZE = 256 * 1024

# --- the estimate (`auditor crawl --estimate`, auditor/crawl/estimate.py) ------------------
# Where the `portal-estimate` spider writes its estimate (JSON); set by auditor.crawl.process.
AUDITOR_ESTIMATE_OUT = None

# --- store ---------------------------------------------------------------------------
AUDITOR_DB = "audit.db"
# The spider publishes its loaded portal config and --unit here for the other components.
AUDITOR_PORTAL = None
AUDITOR_UNIT = ""
# Which of /x/ and /x/index.html was read first: kept in memory by one process, in Redis
# by distributed workers (AUDITOR_REDIS_SETTINGS).
AUDITOR_DIRECTORY_CLAIMS = "auditor.crawl.state.LocalClaims"
# One transaction per this many fetched URLs, or per this many seconds, whichever first:
# few commits (fast) yet little lost on a kill.
AUDITOR_BATCH_URLS = 500
AUDITOR_BATCH_SECONDS = 2.0

# --- distributed crawl (`auditor crawl --redis URL`, spider `portal-worker`) -------------
# scrapy-redis shares the frontier and the duplicate filter between workers on any
# number of machines; workers push their items to a Redis list that `auditor ingest`
# writes into the store. The worker spider applies these over the settings above.
REDIS_URL = "redis://127.0.0.1:6379/0"
AUDITOR_REDIS_SETTINGS = {
    "SCHEDULER": "scrapy_redis.scheduler.Scheduler",
    "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
    # The frontier belongs to the crawl, not to one worker: a worker leaving must not
    # clear it. `auditor ingest` deletes the crawl's keys once every worker is gone.
    "SCHEDULER_PERSIST": True,
    "SCHEDULER_QUEUE_KEY": "auditor:requests",
    "SCHEDULER_DUPEFILTER_KEY": "auditor:dupefilter",
    "REDIS_ITEMS_KEY": "auditor:items",
    # A blocking pop would stall the worker's reactor (downloads in flight included);
    # idleness is timed by the spider instead (AUDITOR_IDLE_CLOSE_SECONDS).
    "SCHEDULER_IDLE_BEFORE_CLOSE": 0,
    "ITEM_PIPELINES": {"auditor.crawl.worker.RecordsToRedis": 300},
    "AUDITOR_DIRECTORY_CLAIMS": "auditor.crawl.worker.RedisClaims",
    # N workers together keep each host's polite rate (auditor/crawl/rate.py).
    "AUDITOR_SHARED_RATE": True,
}
AUDITOR_SHARED_RATE = False
# Requests a second per host that all the workers of a distributed crawl share; 0: one per
# DOWNLOAD_DELAY (no delay: no shared limit, as on loopback).
AUDITOR_HOST_RATE = 0.0
# A worker with nothing to do waits this long for other workers' pages to bring new
# links before it exits. Longer than a slow page's retries (DOWNLOAD_TIMEOUT × tries).
AUDITOR_IDLE_CLOSE_SECONDS = 120

# --- components ----------------------------------------------------------------------
DOWNLOADER_MIDDLEWARES = {
    # Before robots.txt (100): an out-of-scope host must not even be asked for robots.txt.
    "auditor.crawl.scope.ScopeGuard": 40,
    # Scrapy's domain-based offsite filter ignores ports; ScopeGuard matches host:port.
    "scrapy.downloadermiddlewares.offsite.OffsiteMiddleware": None,
    "auditor.crawl.conditional.ConditionalRequests": 560,
    # Distributed workers reserve each request's send time in Redis (off otherwise).
    "auditor.crawl.rate.SharedRate": 900,
    # Next to the downloader: it sees every answer and failure before retries do.
    "auditor.crawl.concurrency.AdaptiveConcurrency": 950,
}
SPIDER_MIDDLEWARES = {
    "auditor.crawl.limits.CrawlLimits": 850,
    # Depth is counted by CrawlLimits so that list pagination does not add depth.
    "scrapy.spidermiddlewares.depth.DepthMiddleware": None,
}
ITEM_PIPELINES = {"auditor.crawl.pipelines.StorePipeline": 300}
EXTENSIONS = {
    # The crawl's shared state (scope, seen-set, earlier runs) the other components use.
    "auditor.crawl.state.CrawlState": 0,
    "auditor.crawl.attachments.BodyCap": 0,
    "auditor.crawl.progress.Progress": 0,
    "auditor.crawl.robots.RobotsLog": 0,
    # Progress replaces the once-a-minute log line.
    "scrapy.extensions.logstats.LogStats": None,
}
# No listening sockets: the crawl is a batch job.
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False

# The spider keeps its own canonical seen-set (it decides what to carry over without
# fetching), so Scrapy's second fingerprint pass would only cost time.
DUPEFILTER_CLASS = "scrapy.dupefilters.BaseDupeFilter"
# Scrapy starts this many worker tasks for the output of every response; our items are
# written synchronously in batches, so a few suffice (the default 100 costs CPU per page).
CONCURRENT_ITEMS = 4
# Cookies would make sessions and vary pages per visitor; an audit reads what anyone sees.
COOKIES_ENABLED = False

LOG_LEVEL = "WARNING"
STATS_DUMP = False
