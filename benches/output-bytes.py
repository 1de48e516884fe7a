#!/usr/bin/env python3
"""What a built site's bytes are, and the least its pages could weigh.

    python3 benches/output-bytes.py OUTPUT [HUGO_OUTPUT]

Sorts the output's bytes into parts (article pages, entity pages, other
pages, the search index, the data files, map tiles, the rest), and for the
HTML pages measures what a reader sees of them: the text of each body once
scripts and styles are left out and runs of white space count as one
space, and the links (each needs at least `<a href="…">` and `</a>` around
its text). Their sum, with the articles' own text that the search index
must hold to find it, is a floor under any site that shows the same: no
markup, no head, no data file, no preview card data, no map drawing, counted.
With HUGO_OUTPUT, Hugo's output is sized beside it.
"""

import os
import re
import sys

UNSEEN = re.compile(rb"<(script|style|title|template)\b.*?</\1>", re.S)
TAG = re.compile(rb"<[^>]*>")
SPACE = re.compile(rb"\s+")
HREF = re.compile(rb'<a\b[^>]*?\bhref="([^"]*)"')
ENTITY_REF = re.compile(rb"&(#\d+|#x[0-9a-fA-F]+|[a-zA-Z]+);")
ARTICLE_BODY = re.compile(rb'<div class="article-body">(.*?)\n  </div>', re.S)


def visible_text(html: bytes) -> bytes:
    """The text a reader sees in a page's body, white space runs as one."""
    body = html[html.find(b"<body") :]
    text = TAG.sub(b" ", UNSEEN.sub(b" ", body))
    # A character reference is one character (at most 4 bytes) on screen.
    text = ENTITY_REF.sub(b"&", text)
    return SPACE.sub(b" ", text).strip()


def part_of(path: str) -> str:
    top = path.split("/", 1)[0]
    if path.endswith(".annotations.jsonld"):
        return "Web Annotations"
    if path.endswith(".geojson"):
        return "GeoJSON"
    if path == "mentions.csv":
        return "mentions.csv"
    if top == "search" or path.startswith("search-index"):
        return "search index"
    if top == "maps":
        return "map tiles"
    if path.endswith(".html"):
        return "article pages" if top == "articles" else "other pages" if top in ("page", "tags", ".") else "entity pages"
    return "the rest"


def sizes(root: str):
    parts, seen, links, link_markup, article_text = {}, 0, 0, 0, 0
    for folder, _, files in os.walk(root):
        for name in files:
            full = os.path.join(folder, name)
            path = os.path.relpath(full, root).replace(os.sep, "/")
            size = os.path.getsize(full)
            part = part_of(path)
            parts[part] = parts.get(part, 0) + size
            if not path.endswith(".html"):
                continue
            html = open(full, "rb").read()
            seen += len(visible_text(html))
            hrefs = HREF.findall(html)
            links += len(hrefs)
            link_markup += sum(len(h) + len(b'<a href=""></a>') for h in hrefs)
            if part == "article pages":
                body = ARTICLE_BODY.search(html)
                if body:
                    article_text += len(SPACE.sub(b" ", TAG.sub(b"", body.group(1))))
    return parts, seen, links, link_markup, article_text


def row(label: str, n: int) -> None:
    print(f"{label:<46}{n / 1e6:9.1f} MB")


def main() -> None:
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    parts, seen, links, link_markup, article_text = sizes(sys.argv[1])
    total = sum(parts.values())
    row(sys.argv[1], total)
    for part, size in sorted(parts.items(), key=lambda p: -p[1]):
        row(f"  {part}", size)
    pages = sum(parts.get(p, 0) for p in ("article pages", "entity pages", "other pages"))
    row("pages", pages)
    row("  the text a reader sees of them", seen)
    row(f"  the markup of their {links:,} links, at least", link_markup)
    row("the articles' text, which search must hold", article_text)
    row("floor: bare text, bare links, a search index", seen + link_markup + article_text)
    if len(sys.argv) == 3:
        hugo = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(sys.argv[2]) for f in fs)
        row("Hugo's output", hugo)
        print(f"gloss / Hugo: {total / hugo:.2f}")


if __name__ == "__main__":
    main()
