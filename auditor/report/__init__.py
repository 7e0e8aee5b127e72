"""The gap report: a static, self-contained HTML evaluation and its data files.

`write_report(document, out_dir)` renders a findings document
(docs/findings.md) into ``index.html``, one page per unit and per plan item,
``findings.json``, ``findings.csv`` and ``findings.xlsx``.
"""

from .render import write_report

__all__ = ["write_report"]
