"""An unreadable robots.txt is logged as one line, not a traceback.

Scrapy's RobotsTxtMiddleware logs a robots.txt that times out or is reset at ERROR with
the whole traceback, then crawls the host as if allowed. The failure is the site's,
and the crawl records it where it belongs (the host's page fetches in `fetches`,
its unit in `unit_reach`); on the user's terminal it is one warning line.
"""

from __future__ import annotations

import logging

from scrapy.crawler import Crawler

ROBOTS_LOGGER = "scrapy.downloadermiddlewares.robotstxt"


class OneLine(logging.Filter):
    """Drop a record's traceback; an error becomes a warning."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.exc_info = None
        record.exc_text = None
        if record.levelno > logging.WARNING:
            record.levelno, record.levelname = logging.WARNING, "WARNING"
        return True


class RobotsLog:
    """Extension installing `OneLine` on the robots.txt middleware's logger."""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "RobotsLog":
        logger = logging.getLogger(ROBOTS_LOGGER)
        if not any(isinstance(f, OneLine) for f in logger.filters):
            logger.addFilter(OneLine())
        return cls()
