"""Locale-aware number formatting for figures, captions and tables (German first, English second)."""
from __future__ import annotations

import math
from urllib.parse import quote, urlsplit

from babel.numbers import format_decimal

NO_VALUE = {"de": "keine Angabe", "en": "not available"}


def locale_of(lang: str) -> str:
    return "en_GB" if lang == "en" else "de_DE"


def is_missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or str(value) in {"<NA>", "nan"}


def number(value, lang: str = "de", decimals: int | None = None) -> str:
    """1.234,5 in German, 1,234.5 in English; "keine Angabe" / "not available" for NA."""
    if is_missing(value):
        return NO_VALUE["en" if lang == "en" else "de"]
    if decimals is not None:
        pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
        return format_decimal(value, format=pattern, locale=locale_of(lang))
    return format_decimal(value, locale=locale_of(lang))


def translate(labels: dict[str, tuple[str, str]], key: str, lang: str, **values) -> str:
    """The German or English text of `key` in a module's {key: (German, English)} table, formatted."""
    german, english = labels[key]
    text = english if lang == "en" else german
    return text.format(**values) if values else text


#: Backslash before every Markdown and Streamlit directive character (str.translate: one pass, no regex).
_MARKDOWN_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_{}[]()#+-.!|<>~$:"})


def escape_markdown(text) -> str:
    """Data text made safe for st.markdown/st.caption: every Markdown and Streamlit directive character
    escaped, so a label like "**fett** [x](javascript:…)" shows exactly as written."""
    return str(text).translate(_MARKDOWN_SPECIAL)


_MARKDOWN_INLINE = str.maketrans({c: "\\" + c for c in "\\`*_[]<>~$#|"})


def escape_markdown_inline(text) -> str:
    """A lighter escape for running text (captions, notes): emphasis, code, links, directives, HTML and
    math are neutralised (`*`, `_`, `` ` ``, `[ ]`, `< >`, `~`, `$`, `#`, `|`), while dots, colons and
    brackets of ordinary prose stay as they are."""
    return str(text).translate(_MARKDOWN_INLINE)


def _cell(value) -> str:
    text = "–" if is_missing(value) or str(value) == "" else str(value)
    return escape_markdown(" ".join(text.split()))          # one line: a line break would end the table row


def _link(url, label: str | None = None) -> str | None:
    """A Markdown link to an http(s) URL, labelled `label` (default: the URL); None for anything else."""
    text = "" if is_missing(url) else str(url).strip()
    if urlsplit(text).scheme.lower() not in ("http", "https") or not urlsplit(text).netloc:
        return None
    target = quote(text, safe=":/?#@!$&'*+,;=%~-._")   # ( ) < > space and quotes percent-encoded
    return f"[{_cell(text if label is None else label)}]({target})"


def markdown_table(frame, *, links: tuple[str, ...] = (), right: tuple[str, ...] = (),
                   link_label: str | None = None) -> str:
    """A small table as GitHub Markdown for st.markdown: every header and cell escaped like `escape_markdown`
    (data text stays text: no emphasis, link, HTML or directive), line breaks folded, an empty cell "–";
    the columns in `links` hold URLs, drawn as links when they are http(s) (labelled `link_label`, default the
    URL itself); the columns in `right` are right-aligned (numbers). An HTML table: no data-grid code for the
    browser to load, readable by screen readers and in print, long text wraps instead of being cut."""
    columns = list(frame.columns)
    lines = ["| " + " | ".join(_cell(name) for name in columns) + " |",
             "|" + "".join("---:|" if name in right else "---|" for name in columns)]
    for row in frame.itertuples(index=False, name=None):
        lines.append("| " + " | ".join((name in links and _link(value, link_label)) or _cell(value)
                                       for name, value in zip(columns, row)) + " |")
    return "\n".join(lines)


def markdown_records(frame, *, heading: int = 1, links: tuple[str, ...] = ()) -> str:
    """Rows with long text (quotes) as Markdown paragraphs, one per row: the first `heading` columns in bold,
    joined by " · " (empty ones and "–" left out), then every other column as "label: value" on its own line;
    a column in `links` as a link labelled with the column's name (http(s) only, else its escaped text).
    Escaped like `markdown_table`. Narrow screens need no sideways scrolling, unlike a wide table."""
    columns = list(frame.columns)
    paragraphs = []
    for row in frame.itertuples(index=False, name=None):
        cells = dict(zip(columns, row))
        title = " · ".join(text for name in columns[:heading] if (text := _cell(cells[name])) != "–")
        lines = [f"**{title}**"] if title else []
        for name in columns[heading:]:
            value = cells[name]
            link = _link(value, label=name) if name in links else None
            lines.append(link or f"{_cell(name)}: {_cell(value)}")
        paragraphs.append("  \n".join(lines))
    return "\n\n".join(paragraphs)
