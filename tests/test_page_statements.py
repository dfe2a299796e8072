"""AppTest: the page "Aussagen" — every statement listed, the selected one's claims beside their charts."""
import json

from charts.verdicts import PRESS_RELEASE_ID
from tests.app_helpers import markdown_tables


def _figures(at) -> list[dict]:
    return [json.loads(element.proto.spec) for element in at.get("plotly_chart")]


def _text(at) -> str:
    return "\n".join(str(e.value) for e in [*at.markdown, *at.caption, *at.title, *at.header, *at.subheader])


def test_press_release_is_selected_by_default_with_one_chart_per_testable_claim(open_page):
    at = open_page("app_pages/statements.py")
    assert not at.exception, at.exception
    assert at.title[0].value == "Aussagen"
    (listing,) = markdown_tables(at)
    assert len(listing) == 39 and not at.dataframe          # a Markdown table: no data-grid code to load
    assert "Zitat" not in listing.columns                   # the selected statement below shows its quote
    assert listing["Quelle"].str.fullmatch(r"\[öffnen\]\(https?://[^ ()]+\)").all()
    assert at.selectbox(key="statements_selected").value == PRESS_RELEASE_ID
    figures = _figures(at)
    assert [f["layout"]["xaxis"]["title"]["text"] for f in figures] == ["Zieljahr", "Zeitraum", "Zeitraum"]
    text = _text(at)
    assert text.count("Keine Daten zum Prüfen dieser Behauptung (keine Angabe).") == 6
    assert "Quelle: " in text and "Lizenz: " in text and "Stand: " in text
    assert at.get("link_button")[0].proto.url.startswith("https://")


def test_selecting_a_statement_by_url_and_by_widget_changes_the_charts(open_page):
    at = open_page("app_pages/statements.py", statements_selected="2017-01-weniger-asylsuchende-2016")
    assert not at.exception, at.exception
    assert at.selectbox(key="statements_selected").value == "2017-01-weniger-asylsuchende-2016"
    stars = [t for f in _figures(at) for t in f["data"] if t.get("name") == "Aussage: 6.600"]
    assert len(stars) == 1
    at.selectbox(key="statements_selected").set_value("2024-03-german-professional-school-eisenach").run()
    assert not at.exception, at.exception
    (pilot,) = _figures(at)
    assert pilot["data"][0]["type"] == "bar"


def test_topic_filter_order_and_english(open_page):
    at = open_page("app_pages/statements.py", lang="English")
    assert not at.exception, at.exception
    assert at.title[0].value == "Statements"
    at.multiselect(key="statements_topics").set_value(["rekrutierung"]).run()
    at.segmented_control(key="statements_order").set_value("oldest").run()
    assert not at.exception, at.exception
    (listing,) = markdown_tables(at)
    assert len(listing) < 39 and listing["Date"].iloc[0] == "2014"
    assert "Topics" in listing.columns and "Rekrutierung" not in "".join(listing["Topics"])
    assert at.selectbox(key="statements_selected").options[0] == "2014-hessen-landtag-mobipro"
    assert "Keine Daten" not in _text(at)
