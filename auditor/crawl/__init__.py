"""The Scrapy project of the auditor: the `portal` spider and its components.

One component per module: `scope` (host guard), `limits` (once per URL, depth,
pagination, traps), `conditional` (incremental re-crawl), `attachments` (body cap),
`pipelines` (batched store writes), `progress` (live line and summary). All
defaults live in `settings`.
"""
