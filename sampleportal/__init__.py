"""The bundled sample portal: a simulated 上海嘉定 portal with ground truth.

``generate(dest, pages, seed) -> SiteInfo`` writes the site into a cache folder
(default ``~/.cache/auditor/sampleportal/<seed>-<pages>/``) unless an up-to-date one
is there; ``SamplePortal(dir, pages, seed, port)`` serves it (``with SamplePortal() as
p:`` or ``.start()`` / ``.stop()``), writing ``p.config_path`` (portal config YAML)
and ``p.manifest_path`` (manifest with real URLs). ``command.serve`` is the click
command ``auditor demo serve``.

Hosts: 127.0.0.2 the portal; .3 区环保局 (modern UTF-8); .4 区教育局 (legacy GBK, header
without charset or claiming gb2312); .5 区网宣中心 (503 everywhere); .6 .7 .8 南翔镇,
安亭镇, 马陆镇 (马陆镇's home page stale). Other units have portal columns
/publicity/bmxxgk/<code>/ and /publicity/jzxxgk/<code>/.

Manifest (JSON, ``schema: 1``; URLs ``http://ip:port/…`` in the served copy,
``http://@hostkey@/…`` in the cached one):

- ``as_of`` (the date the statuses hold at: 2018-12-10), ``seed``, ``pages`` (HTML
  pages written), ``pages_requested``, ``rules_fingerprint`` (catalogue + documents
  the statuses derive from; a change regenerates), ``hosts`` [{key, ip, name, style,
  charset, unit, down}], ``addresses`` {key: ip:port} (served copy only).
- ``items``: one entry per (plan item, responsible unit), groups expanded by the unit
  registry: {item, unit, status, scenario, rules: {rule id: status}, evidence: [URL],
  distractors: [URL]}. ``rules`` are the item's rules whose units include the unit;
  each rule's status applies its mode, timing (valid_from, deadline, cadence) and
  ``evidence.when_absent`` to the pages that serve it, as documents.yaml's ``serves``
  says (the unit's own pages, any unit's for ``evidence.anywhere``), elements
  included; ``status`` is CONTRACT.md's roll-up (auditor.check.status.roll_up).
  ``scenario`` says what the unit did: met, partial (only some of its documents),
  stale (stopped publishing in April), missing, near (news about the document),
  wrong_unit (a colleague's document filed in this unit's column), old (a 2016/2017
  one), manual, unreachable. ``evidence`` are all pages that count for its rules;
  ``distractors`` the near misses that count for none.
- ``baseline``: the same per (statutory rule base-guide / base-annual-report, unit)
  with ``rule`` instead of ``item``.
- ``site_checks``: [{check, unit, url, detail, linked_from?}] with check one of
  broken_link (url = the 404 target), stale_column, empty_column, stale_homepage,
  undated_page.
- ``gbk_pages`` [{url, title}]: GBK-encoded pages and the text their title must decode to.
- ``attachments`` [{url, ext, text, page}]: every PDF/DOCX/XLSX file and its link text.
- ``documents`` [{url, unit, title, date}]: every plan-related document page with the
  unit that published it, its true title and publication date.
"""

from .generator import AS_OF, SiteInfo, generate
from .server import SamplePortal

__all__ = ["AS_OF", "SamplePortal", "SiteInfo", "generate"]
