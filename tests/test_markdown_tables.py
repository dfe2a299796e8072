"""Markdown tables and records (charts.format): data text stays text, links only to http(s), one line per row."""
import re

import pandas as pd
from hypothesis import given, settings, strategies as st

from charts.format import markdown_records, markdown_table

PAYLOADS = ["**fett**", "[x](javascript:alert(1))", "<img src=x onerror=alert(1)>", "a | b", ":red[rot]",
            "$x^2$", "`code`", "Zeile 1\nZeile 2", "# Überschrift", "- Liste"]


def _cells(line: str) -> list[str]:
    return re.split(r"(?<!\\)\|", line.strip())[1:-1]


def test_a_table_escapes_every_cell_and_keeps_one_line_per_row():
    frame = pd.DataFrame({"Text": PAYLOADS, "Zahl": ["1.000"] * len(PAYLOADS)})
    lines = markdown_table(frame, right=("Zahl",)).split("\n")
    assert lines[0] == "| Text | Zahl |" and lines[1] == "|---|---:|"       # numbers right-aligned
    assert len(lines) == 2 + len(PAYLOADS)                                    # the line break is folded
    for line, payload in zip(lines[2:], PAYLOADS):
        text, number = _cells(line)
        assert re.sub(r"\\(.)", r"\1", text.strip()) == " ".join(payload.split())   # unescaped: the data
        assert not re.search(r"(?<!\\)[*\[\]<>|`$:#]", text), text           # every special character escaped
        assert number.strip() == "1\\.000"


def test_only_http_links_become_links_and_an_empty_cell_is_a_dash():
    frame = pd.DataFrame({"Adresse": ["https://example.org/a b(c)", "javascript:alert(1)", "", None]})
    rows = markdown_table(frame, links=("Adresse",)).split("\n")[2:]
    assert rows[0] == "| [https\\://example\\.org/a b\\(c\\)](https://example.org/a%20b%28c%29) |"
    assert rows[1] == "| javascript\\:alert\\(1\\) |" and rows[2] == rows[3] == "| – |"


def test_records_put_the_heading_first_skip_empty_heading_parts_and_label_the_link():
    frame = pd.DataFrame({"Datum": ["18.05.2016", "03/2018"], "Stelle": ["TSK", "TLVwA"], "Person": ["–", "X *Y*"],
                          "Aussage": ["280.000 [Fachkräfte]", "50"], "Link": ["https://ex.org/p", "ftp://ex.org"]})
    first, second = markdown_records(frame, heading=3, links=("Link",)).split("\n\n")
    assert first.split("  \n") == ["**18\\.05\\.2016 · TSK**", "Aussage: 280\\.000 \\[Fachkräfte\\]",
                                   "[Link](https://ex.org/p)"]
    assert second.split("  \n") == ["**03/2018 · TLVwA · X \\*Y\\***", "Aussage: 50", "Link: ftp\\://ex\\.org"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(max_size=40), min_size=1, max_size=5))
def test_any_text_keeps_the_table_shape(texts):
    lines = markdown_table(pd.DataFrame({"a": texts, "b": texts})).split("\n")
    assert len(lines) == 2 + len(texts) and all(len(_cells(line)) == 2 for line in lines)


def test_the_markdown_of_a_shared_frame_is_built_once_and_a_new_frame_gets_its_own():
    from ui import tables

    calls = []

    def render(frame, **options):
        calls.append(options)
        return markdown_table(frame, **options)

    shared = pd.DataFrame({"a": ["x"]})
    first = tables._markdown(shared, render, right=("a",))
    assert tables._markdown(shared, render, right=("a",)) == first and len(calls) == 1     # the same object
    assert tables._markdown(shared, render) != first and len(calls) == 2                    # other options
    changed = pd.DataFrame({"a": ["y"]})
    assert "y" in tables._markdown(changed, render) and len(calls) == 3                     # a new version
