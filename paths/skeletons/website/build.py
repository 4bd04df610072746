#!/usr/bin/env python3
"""Builds the site: pages/*.md (a small Markdown) and pages/*.html (fragments) are put into
template.html and written to public/, with static/ copied beside them. Python's standard library
only, so it builds offline, in the sandbox, in well under a second.

A mistake in a page stops the build with `error: <file>:<line>: <what>`; the platform shows that
line on the environment page and keeps serving the last good site.
"""
import html
import json
import re
import shutil
import string
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
PAGES, STATIC, OUT = ROOT / "pages", ROOT / "static", ROOT / "public"


class PageError(Exception):
    def __init__(self, page, line, message):
        super().__init__(f"{page.relative_to(ROOT)}:{line}: {message}")


def inline(text, page, line, pages):
    """Escapes text, then turns `code`, **bold**, *em* and [links](target) into HTML."""
    out = html.escape(text, quote=False)
    out = re.sub(r"`([^`]+)`", r"<code>\1</code>", out)
    out = re.sub(r"\*\*([^*]+)\*\*", r"<strong>\1</strong>", out)
    out = re.sub(r"\*([^*]+)\*", r"<em>\1</em>", out)

    def link(m):
        label, target = m.group(1), html.unescape(m.group(2))
        if not re.match(r"^(https?://|mailto:|#)", target):
            # A link to another page of the site must name a page that exists.
            name = target.split("#")[0].removesuffix(".html")
            if name and name not in pages:
                raise PageError(page, line, f"link to {target}, but there is no page pages/{name}.md")
        return f'<a href="{html.escape(target)}">{label}</a>'

    return re.sub(r"\[([^\]]+)\]\(([^)\s]+)\)", link, out)


def markdown(page, pages):
    blocks, para, items = [], [], []

    def flush():
        if para:
            blocks.append("<p>" + " ".join(para) + "</p>")
            para.clear()
        if items:
            blocks.append("<ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>")
            items.clear()

    title = None
    for number, raw in enumerate(page.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.rstrip()
        heading = re.match(r"^(#{1,6})\s+(.*)$", line)
        if not line.strip():
            flush()
        elif heading:
            flush()
            level = len(heading.group(1))
            text = inline(heading.group(2), page, number, pages)
            title = title or html.unescape(re.sub(r"<[^>]+>", "", text))
            blocks.append(f"<h{level}>{text}</h{level}>")
        elif re.match(r"^[-*]\s+", line):
            if para:
                flush()
            items.append(inline(re.sub(r"^[-*]\s+", "", line), page, number, pages))
        else:
            if items:
                flush()
            para.append(inline(line.strip(), page, number, pages))
    flush()
    return title or page.stem, "\n".join(blocks)


def main():
    site = json.loads((ROOT / "site.json").read_text(encoding="utf-8"))
    template = string.Template((ROOT / "template.html").read_text(encoding="utf-8"))
    sources = sorted(list(PAGES.glob("*.md")) + list(PAGES.glob("*.html")))
    pages = {p.stem for p in sources}
    if "index" not in pages:
        raise PageError(PAGES / "index.md", 1, "the site needs a home page: pages/index.md or pages/index.html")
    if OUT.exists():
        shutil.rmtree(OUT)
    OUT.mkdir()
    nav = " ".join(f'<a href="{p}.html">{html.escape(p.replace("-", " ").title() if p != "index" else "Home")}</a>' for p in sorted(pages, key=lambda p: (p != "index", p)))
    for page in sources:
        if page.suffix == ".md":
            title, body = markdown(page, pages)
        else:
            title, body = page.stem.replace("-", " ").title(), page.read_text(encoding="utf-8")
        text = template.safe_substitute(site=html.escape(site["title"]), title=html.escape(title), nav=nav, content=body)
        (OUT / f"{page.stem}.html").write_text(text, encoding="utf-8")
    if STATIC.is_dir():
        shutil.copytree(STATIC, OUT / "static")
    print(f"built {len(sources)} page(s) into public/")


if __name__ == "__main__":
    try:
        main()
    except PageError as e:
        print(f"error: {e}", file=sys.stderr)
        sys.exit(1)
