"""AppTest: the page "Überblick" on real data — headline figures, timeline, verdicts of the 2016 press release."""
import json


def _figures(at) -> list[dict]:
    return [json.loads(element.proto.spec) for element in at.get("plotly_chart")]


def _text(at) -> str:
    return "\n".join(str(e.value) for e in [*at.markdown, *at.caption, *at.title, *at.header, *at.subheader])


def test_overview_shows_headlines_timeline_and_verdicts_in_german(open_page):
    at = open_page("app_pages/overview.py")
    assert not at.exception, at.exception
    assert at.title[0].value == "Überblick"
    metrics = {m.label: m.value for m in at.metric}
    assert metrics == {"Asylerstanträge 2025": "3.100", "Schutzsuchende": "72.755", "SV-Beschäftigte": "783.130",
                       "Fehlende Fachkräfte bis 2035": "250.000"}
    assert all("Quelle" in m.proto.help and "Stand" in m.proto.help for m in at.metric)
    (timeline,) = _figures(at)
    assert timeline["data"][-1]["name"] == "Pressemitteilung 18.05.2016"
    assert timeline["layout"]["separators"] == ",."
    text = _text(at)
    assert "Quelle: " in text and "Lizenz: " in text and "Stand: " in text        # the chart block caption
    assert "29\\.622 \\(2015\\) → 6\\.600 \\(2016\\)" in text                          # verdict, escaped markdown
    assert "Teilnehmerzahlen keine Angabe" in text and "keine Zahl behauptet" in text
    assert "davon ausländisch 78\\.539 \\(10,0 %\\) · Stand\\: 30\\.06\\.2025" in text


def test_topic_filter_changes_the_timeline_and_english_changes_the_labels(open_page):
    at = open_page("app_pages/overview.py")
    before = sum(len(trace["x"]) for trace in _figures(at)[0]["data"])
    at.pills(key="overview_topics").set_value(["rekrutierung"]).run()
    assert not at.exception, at.exception
    after = _figures(at)[0]
    assert sum(len(trace["x"]) for trace in after["data"]) < before
    at.sidebar.radio(key="lang").set_value("English").run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Overview"
    assert "First-time asylum applications 2025" in [m.label for m in at.metric]
    figure = _figures(at)[0]
    assert figure["layout"]["xaxis"]["title"]["text"] == "Date" and figure["layout"]["separators"] == ".,"
    text = _text(at)
    assert "Überblick" not in text and "keine Zahl behauptet" not in text and "no figure claimed" in text


def test_the_nine_verdicts_of_the_press_release_share_one_box(open_page):
    at = open_page("app_pages/overview.py")
    (verdicts,) = [m.value for m in at.markdown if "-badge[" in m.value]          # one element for the whole list
    entries = verdicts.split("\n\n---\n\n")
    assert len(entries) == 9 and all(entry.count("-badge[") == 1 for entry in entries)
    assert "280\\.000 Fachkräfte bis 2025" in entries[0]                          # the headline claim comes first
    assert "Spurwechsel" in verdicts and "keine Zahl behauptet" in verdicts
