"""Small but valid attachment files: PDF, DOCX and XLSX bytes built in memory.

Readers in the auditor may open them (title, sheet text), so each is a real file of its
format, deterministic (fixed zip timestamps) and carries the document's name.
"""

from __future__ import annotations

import io
import zipfile
from xml.sax.saxutils import escape

_ZIP_TIME = (2018, 1, 1, 0, 0, 0)


def pdf_bytes(title: str, lines: list[str]) -> bytes:
    """A one-page PDF whose Info /Title is ``title`` (UTF-16BE, as Chinese tools write it)."""
    # The page shows ASCII only (no CJK font needed); the Chinese lives in /Title.
    text = " ".join(f"({i + 1}) line" for i in range(min(len(lines), 5))) or "(1) line"
    stream = f"BT /F1 12 Tf 72 720 Td ({text.replace('(', '').replace(')', '')}) Tj ET".encode()
    title_hex = ("feff" + title.encode("utf-16-be").hex()).upper()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        f"<< /Title <{title_hex}> /Producer (sampleportal) >>".encode(),
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info 6 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return bytes(out)


def _zip(parts: dict[str, str]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, content in parts.items():
            z.writestr(zipfile.ZipInfo(name, _ZIP_TIME), content.encode("utf-8"))
    return buf.getvalue()


_RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
         '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
         '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
         'relationships/officeDocument" Target="{target}"/></Relationships>')
_TYPES = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
          '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
          '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
          '<Default Extension="xml" ContentType="application/xml"/>{overrides}</Types>')


def docx_bytes(title: str, lines: list[str]) -> bytes:
    """A minimal Word document: the title as first paragraph, then the lines."""
    paras = "".join(f"<w:p><w:r><w:t>{escape(t)}</w:t></w:r></w:p>" for t in [title, *lines])
    return _zip({
        "[Content_Types].xml": _TYPES.format(overrides=(
            '<Override PartName="/word/document.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>')),
        "_rels/.rels": _RELS.format(target="word/document.xml"),
        "word/document.xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            f"<w:body>{paras}</w:body></w:document>"),
    })


def xlsx_bytes(title: str, rows: list[list[str]]) -> bytes:
    """A minimal workbook: one sheet, the title in A1, then the rows (inline strings)."""
    def cell(col: int, row: int, value: str) -> str:
        return (f'<c r="{chr(65 + col)}{row}" t="inlineStr"><is><t>{escape(value)}</t></is></c>')

    body = [f'<row r="1">{cell(0, 1, title)}</row>']
    for r, values in enumerate(rows, 2):
        body.append(f'<row r="{r}">' + "".join(cell(c, r, v) for c, v in enumerate(values[:26])) + "</row>")
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel_ns = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
    return _zip({
        "[Content_Types].xml": _TYPES.format(overrides=(
            '<Override PartName="/xl/workbook.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>')),
        "_rels/.rels": _RELS.format(target="xl/workbook.xml"),
        "xl/workbook.xml": (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook {ns} {rel_ns}>'
                            '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'),
        "xl/worksheets/sheet1.xml": (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                                     f'<worksheet {ns}><sheetData>{"".join(body)}</sheetData></worksheet>'),
    })


BUILDERS = {"pdf": pdf_bytes, "docx": docx_bytes}


def attachment_bytes(ext: str, title: str, lines: list[str]) -> bytes:
    """The file of type ``ext`` (pdf, docx, xlsx) for a document."""
    if ext == "xlsx":
        return xlsx_bytes(title, [line.split("｜") for line in lines])
    return BUILDERS[ext](title, lines)
