"""Locale-aware number formatting for figures, captions and tables (German first, English second)."""
from __future__ import annotations

import math

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
