"""WeasyPrint for brochure versions: the restricted URL fetcher, rendering, and the render key.

WeasyPrint is imported inside the functions: it is slow to import and only PDF requests
and the worker need it. The fetcher serves only our own media and static files; every
other address (http, https, ftp, file:// elsewhere, big data: URLs) is refused, so text
someone typed into the design can never make the server fetch anything.
"""

from __future__ import annotations

import hashlib
import json
import mimetypes
import os
import tempfile
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation

from brochure.present import present

DATA_URL_LIMIT = 256 * 1024  # bytes of a data: URL we still accept (inline SVG, small icons)
TEMPLATE_DIR = Path(__file__).resolve().parent / "templates" / "brochure"
# The templates a PDF depends on; a change in any of them re-renders every stored PDF.
TEMPLATE_FILES = ("pdf.html", "pdf.css", "poster.html", "_document.html", "_changelog.html", "_guardrail_chart.html")
EXTRA_TEMPLATES = (
    Path(settings.BASE_DIR) / "programmes" / "templates" / "programmes" / "_bar_chart.html",
    Path(settings.BASE_DIR) / "guardrails" / "templates" / "guardrails" / "_chip.html",
    Path(settings.BASE_DIR) / "guardrails" / "templates" / "guardrails" / "_target.html",
)


class FetchRefused(ValueError):
    """An address the brochure renderer will not fetch."""


def allowed_roots() -> list[Path]:
    roots = [Path(settings.MEDIA_ROOT), Path(settings.STATIC_ROOT), *map(Path, settings.STATICFILES_DIRS)]
    return [root.resolve() for root in roots]


def safe_fetch(url: str) -> tuple[bytes, str]:
    """The bytes and MIME type behind `url`, if it is one of our media/static files or a small
    data: URL. Raises FetchRefused for anything else. Side effects: reads one local file."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "data":
        if len(url) > DATA_URL_LIMIT:
            raise FetchRefused(f"data: URL larger than {DATA_URL_LIMIT} bytes")
        from urllib.request import urlopen

        with urlopen(url) as response:  # noqa: S310 - only the data: scheme reaches this line
            return response.read(), response.headers.get_content_type()
    if scheme == "file" and parts.netloc in ("", "localhost"):
        path = Path(unquote(parts.path)).resolve()
        if any(path.is_relative_to(root) for root in allowed_roots()) and path.is_file():
            return path.read_bytes(), mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        raise FetchRefused(f"file outside media and static: {url}")
    if scheme == "" and url.startswith(settings.STATIC_URL):
        found = finders.find(url.removeprefix(settings.STATIC_URL))
        if found:
            return safe_fetch(Path(found).resolve().as_uri())
    raise FetchRefused(f"refused to fetch {url[:100]}")


def _fetcher():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class SafeURLFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            body, mime_type = safe_fetch(url)
            return URLFetcherResponse(url, body, {"Content-Type": mime_type})

    return SafeURLFetcher(allowed_protocols=("file", "data"), allow_redirects=False, timeout=5)


@cache
def _templates_digest() -> str:
    digest = hashlib.sha256()
    for path in [*(TEMPLATE_DIR / name for name in TEMPLATE_FILES), *EXTRA_TEMPLATES]:
        digest.update(path.name.encode())
        digest.update(path.read_bytes() if path.exists() else b"")
    return digest.hexdigest()


def render_key(snapshot: dict, kind: str, language: str) -> str:
    """A hash of the templates, the snapshot, the kind and the language: equal keys, equal PDFs."""
    digest = hashlib.sha256(_templates_digest().encode())
    digest.update(json.dumps(snapshot, sort_keys=True).encode())
    digest.update(f"{kind}:{language}".encode())
    return digest.hexdigest()


def document_html(version, *, kind: str = "brochure", previous=None, language: str | None = None) -> str:
    """The HTML WeasyPrint renders: the same document template as the page, print styles."""
    with translation.override(language or settings.LANGUAGE_CODE):
        context = present(version.snapshot, mode="pdf", previous=previous.snapshot if previous else None)
        context.update(
            {
                "version": version,
                "previous_number": previous.number if previous else "",
                "LANGUAGE_CODE": translation.get_language(),
            }
        )
        return render_to_string(f"brochure/{'poster' if kind == 'poster' else 'pdf'}.html", context)


def html_to_pdf(html: str) -> tuple[bytes, int]:
    """PDF bytes and page count. Only our media and static files are fetched."""
    from weasyprint import HTML

    document = HTML(string=html, base_url=Path(settings.MEDIA_ROOT).resolve().as_uri() + "/", url_fetcher=_fetcher())
    rendered = document.render()
    return rendered.write_pdf(), len(rendered.pages)


def render_to_file(version, target: Path, *, kind: str = "brochure", previous=None, language: str | None = None) -> int:
    """Render to `target` through a temporary file in the same folder, moved into place only
    when complete, so a failed render never leaves half a PDF. Returns the page count."""
    pdf, pages = html_to_pdf(document_html(version, kind=kind, previous=previous, language=language))
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temp_name = tempfile.mkstemp(dir=target.parent, prefix=".rendering-", suffix=".pdf")
    try:
        with os.fdopen(handle, "wb") as temp:
            temp.write(pdf)
        os.replace(temp_name, target)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    return pages
