"""The check: rules against a stored crawl, into findings, site checks and scores.

`run_check` is what `auditor check` calls (auditor.check.run): it reads one crawl
(docs/schema.md), judges every rule of the catalogue for every responsible unit
(auditor.check.judge), and stores the result as one numbered check run.
"""

from .judge import Judgement, judge_crawl
from .run import CheckSummary, check_catalogue, resolve_as_of, run_check

__all__ = ["CheckSummary", "Judgement", "check_catalogue", "judge_crawl", "resolve_as_of", "run_check"]
