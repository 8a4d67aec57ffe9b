"""Rendering a profile's content: figures (cached by content), the document as HTML for
print, PDF (WeasyPrint) and DOCX (python-docx). Every copy carries its marking at the top
and bottom of each page, its version, owner and handling instructions, and the name of the
person it was made for and when (guide 4.45: a copy can be traced to its reader)."""

from __future__ import annotations

import hashlib
import io
import json
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from socprofiles.core.richtext import sanitise

from . import content as content_mod

FORMATS = ("pdf", "docx", "html")
CSS_PATH = Path(__file__).resolve().parent / "print.css"

HANDLING_DEFAULT = (
    "Share only with those who need to know it for the partnership's work against serious "
    "and organised crime. Do not forward outside the partnership without the owner's agreement "
    "(guide 4.46). Freedom of Information requests go to the owner."
)


@dataclass
class Recipient:
    name: str
    at: str

    @classmethod
    def of(cls, user: Any) -> Recipient:
        name = getattr(user, "display_name", None) or str(user or "Unknown reader")
        stamp = timezone.localtime().strftime("%d %B %Y %H:%M")
        return cls(name=name, at=stamp)


@dataclass
class Timings:
    figures: float = 0.0
    html: float = 0.0
    engine: float = 0.0
    extra: dict[str, float] = field(default_factory=dict)


def _digest(data: Any) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


def figure_names(doc: Mapping[str, Any]) -> list[str]:
    return [
        b["name"] for s in doc["sections"] for b in s.get("blocks", []) if b["type"] == "figure"
    ]


def figure_files(doc: Mapping[str, Any], names: list[str] | None = None) -> dict[str, Path]:
    """PNG files of the document's figures, drawn once per content and kept in the cache."""
    from socprofiles.analysis.selectors import geometries

    wanted = names if names is not None else figure_names(doc)
    analysis, priorities = doc.get("analysis"), doc.get("priorities")
    key = _digest([analysis, priorities])
    folder = Path(settings.PROFILE_FIGURE_CACHE) / key[:2] / key
    found, todo = {}, []
    for name in wanted:
        path = folder / f"{name}.png"
        found[name] = path
        if not path.exists():
            todo.append(name)
    if todo:
        codes = {h["lsoa_code"] for h in (analysis or {}).get("hotspots", [])}
        shapes = geometries(codes=codes) if codes else {}
        charts = content_mod.charts(analysis, priorities, shapes)
        folder.mkdir(parents=True, exist_ok=True)
        for name in todo:
            chart = charts.get(name)
            if chart is None:
                found.pop(name)
                continue
            partial = folder / f".{name}.{time.monotonic_ns()}.tmp"
            partial.write_bytes(chart.render("png"))
            partial.replace(found[name])  # atomic: a reader never sees half a file
    return found


def document_context(
    doc: Mapping[str, Any],
    *,
    recipient: Recipient,
    draft: bool,
    figure_src: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """What the document templates need; `figure_src` gives each figure's image address."""
    sources = figure_src or {}
    sections = []
    for section in doc["sections"]:
        blocks = [
            {**b, "src": sources.get(b["name"], "")} if b["type"] == "figure" else b
            for b in section.get("blocks", [])
        ]
        strands: dict[str, list[str]] = {}
        for rec in section.get("recommendations", []):
            strands.setdefault(rec["strand_label"], []).append(rec["text"])
        sections.append({**section, "blocks": blocks, "strands": strands,
                         "narrative": sanitise(section["narrative"])})  # fmt: skip
    version = f"Version {doc['version']}" if doc.get("version") else "Draft, not published"
    return {
        "doc": doc,
        "sections": sections,
        "marking": doc["classification"],
        "handling": doc.get("handling_note") or HANDLING_DEFAULT,
        "version_label": version,
        "recipient": recipient,
        "draft": draft,
    }


def render_html(
    doc: Mapping[str, Any], *, recipient: Recipient, draft: bool, for_print: bool = True
) -> str:
    """A standalone HTML document (figures as data in files beside it for print)."""
    files = figure_files(doc)
    if for_print:
        sources = {n: p.as_uri() for n, p in files.items()}
    else:
        import base64

        sources = {
            n: "data:image/png;base64," + base64.b64encode(p.read_bytes()).decode()
            for n, p in files.items()
        }
    context = document_context(doc, recipient=recipient, draft=draft, figure_src=sources)
    context["css"] = CSS_PATH.read_text(encoding="utf-8")
    return render_to_string("profiles/print.html", context)


def render_pdf(
    doc: Mapping[str, Any], *, recipient: Recipient, draft: bool, timings: Timings | None = None
) -> bytes:
    from weasyprint import CSS, HTML

    timings = timings if timings is not None else Timings()
    started = time.perf_counter()
    figure_files(doc)
    timings.figures = time.perf_counter() - started
    started = time.perf_counter()
    html = render_html(doc, recipient=recipient, draft=draft)
    timings.html = time.perf_counter() - started
    started = time.perf_counter()
    pdf = HTML(string=html, base_url=str(settings.PROFILE_FIGURE_CACHE)).write_pdf(
        stylesheets=[CSS(string=_page_css(doc, recipient=recipient, draft=draft))]
    )
    timings.engine = time.perf_counter() - started
    return bytes(pdf)


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def _page_css(doc: Mapping[str, Any], *, recipient: Recipient, draft: bool) -> str:
    """The page furniture: marking top and bottom, version and owner, page numbers."""
    marking = _css_string(doc["classification"])
    version = f"Version {doc['version']}" if doc.get("version") else "DRAFT"
    left = _css_string(f"{doc['title']} · {version} · Owner: {doc['owner']}")
    issued = _css_string(f"Issued to {recipient.name}, {recipient.at}")
    return f"""
@page {{
  size: A4; margin: 22mm 16mm 24mm 16mm;
  @top-center {{ content: {marking}; font-family: sans-serif; font-weight: bold;
                 font-size: 11pt; }}
  @bottom-center {{ content: {marking}; font-family: sans-serif; font-weight: bold;
                    font-size: 11pt; }}
  @bottom-left {{ content: {left}; font-family: sans-serif; font-size: 7pt; }}
  @bottom-right {{ content: "Page " counter(page) " of " counter(pages);
                   font-family: sans-serif; font-size: 7pt; }}
  @top-right {{ content: {issued}; font-family: sans-serif; font-size: 6.5pt; color: #505a5f; }}
}}
"""


def render_docx(doc: Mapping[str, Any], *, recipient: Recipient, draft: bool) -> bytes:
    """Word for partners who edit in Word: the same marking in every page's header and
    footer, the owner, version and recipient, contents, and the figures as pictures."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    context = document_context(doc, recipient=recipient, draft=draft)
    files = figure_files(doc)
    document = Document()
    marking = doc["classification"]
    section = document.sections[0]
    section.top_margin = section.bottom_margin = Cm(2.2)

    def field(paragraph: Any, code: str) -> None:
        run = paragraph.add_run()
        begin, instr, end = (
            OxmlElement("w:fldChar"),
            OxmlElement("w:instrText"),
            OxmlElement("w:fldChar"),
        )
        begin.set(qn("w:fldCharType"), "begin")
        instr.set(qn("xml:space"), "preserve")
        instr.text = code
        end.set(qn("w:fldCharType"), "end")
        run._r.append(begin)
        run._r.append(instr)
        run._r.append(end)

    header = section.header.paragraphs[0]
    header.text = marking
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    header.runs[0].bold = True
    issued = section.header.add_paragraph(f"Issued to {recipient.name}, {recipient.at}")
    issued.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    issued.runs[0].font.size = Pt(7)
    footer = section.footer.paragraphs[0]
    footer.text = marking
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.runs[0].bold = True
    line = section.footer.add_paragraph(
        f"{doc['title']} · {context['version_label']} · Owner: {doc['owner']} · Page "
    )
    field(line, "PAGE")
    line.runs[0].font.size = Pt(7)

    document.add_heading(doc["title"], level=0)
    document.add_paragraph(f"{doc['partnership']} · {doc['area']} · "
                           f"{doc['period']['start']} to {doc['period']['end']}")  # fmt: skip
    document.add_paragraph(
        f"{context['version_label']} · Owner: {doc['owner']}"
        + (f", {doc['owner_role']}" if doc.get("owner_role") else "")
    )
    handling = document.add_paragraph()
    handling.add_run(f"{marking}. Handling instructions: ").bold = True
    handling.add_run(context["handling"])
    document.add_heading("Contents", level=1)
    for i, s in enumerate(context["sections"], 1):
        document.add_paragraph(f"{i}. {s['title']}", style="List Number" if False else None)
    for i, s in enumerate(context["sections"], 1):
        document.add_heading(f"{i}. {s['title']}", level=1)
        _docx_narrative(document, s["narrative"])
        for title, texts in s["strands"].items():
            document.add_heading(title, level=2)
            for text in texts:
                document.add_paragraph(text, style="List Bullet")
        for block in s["blocks"]:
            if block["type"] == "text":
                document.add_paragraph(block["text"])
            elif block["type"] == "table":
                document.add_paragraph(block["caption"]).runs[0].italic = True
                table = document.add_table(rows=1, cols=len(block["columns"]))
                table.style = "Table Grid"
                for cell, name in zip(table.rows[0].cells, block["columns"], strict=True):
                    cell.text = name
                for row in block["rows"]:
                    cells = table.add_row().cells
                    for cell, value in zip(cells, row, strict=True):
                        cell.text = value
            elif block["type"] == "figure" and block["name"] in files:
                document.add_picture(str(files[block["name"]]), width=Cm(15))
                caption = document.add_paragraph(f"{block['title']}. {block['alt']}")
                caption.runs[0].font.size = Pt(8)
        if s["sources"]:
            document.add_paragraph("Sources").runs[0].bold = True
            for src in s["sources"]:
                document.add_paragraph(
                    f"{src['title']}, {src['owner']}, {src['period']}"
                    + (f". {src['attribution']}" if src.get("attribution") else ""),
                    style="List Bullet",
                )
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _docx_narrative(document: Any, html: str) -> None:
    """Sanitised narrative HTML as Word paragraphs: block by block, bold and italic kept."""
    from html.parser import HTMLParser

    class Parser(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.paragraph: Any = None
            self.bold = self.italic = False
            self.style: str | None = None

        def handle_starttag(self, tag: str, attrs: Any) -> None:
            if tag in ("p", "h3", "h4", "blockquote", "td", "th"):
                self.paragraph = None
                self.style = "Heading 3" if tag in ("h3", "h4") else None
            elif tag == "li":
                self.paragraph = document.add_paragraph(style="List Bullet")
            elif tag in ("strong", "b"):
                self.bold = True
            elif tag in ("em", "i"):
                self.italic = True
            elif tag == "br" and self.paragraph is not None:
                self.paragraph.add_run().add_break()

        def handle_endtag(self, tag: str) -> None:
            if tag in ("strong", "b"):
                self.bold = False
            elif tag in ("em", "i"):
                self.italic = False
            elif tag in ("p", "li", "h3", "h4", "blockquote"):
                self.paragraph, self.style = None, None

        def handle_data(self, data: str) -> None:
            if not data.strip() and self.paragraph is None:
                return
            if self.paragraph is None:
                self.paragraph = document.add_paragraph(style=self.style)
            run = self.paragraph.add_run(data)
            run.bold, run.italic = self.bold or None, self.italic or None

    Parser().feed(html or "")


def render(
    doc: Mapping[str, Any], fmt: str, *, recipient: Recipient, draft: bool
) -> tuple[bytes, str]:
    """The document in a format, with its content type."""
    if fmt == "pdf":
        return render_pdf(doc, recipient=recipient, draft=draft), "application/pdf"
    if fmt == "docx":
        return (
            render_docx(doc, recipient=recipient, draft=draft),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        )
    if fmt == "html":
        html = render_html(doc, recipient=recipient, draft=draft, for_print=False)
        return html.encode("utf-8"), "text/html; charset=utf-8"
    raise ValueError(f"profiles are rendered as {', '.join(FORMATS)}, not {fmt!r}")
