"""Each claim of the 18 May 2016 press release checked against the real bundled numbers (charts/verdicts.py)."""
import pandas as pd
import pytest

from charts.verdicts import (
    PRESS_RELEASE_ID, escape_markdown, period_label, previous_period, verdict_for, verdicts, with_derived_totals)

CLAIM = PRESS_RELEASE_ID + "-{}"


@pytest.fixture(scope="module")
def german(bundled_frames):
    return {v.claim_id: v for v in verdicts(bundled_frames, lang="de")}


def _claim(frames, claim_id):
    claims = frames["claims"]
    return claims[claims["claim_id"] == claim_id].iloc[0]


def test_one_verdict_per_claim_of_the_press_release_in_claims_order(bundled_frames, german):
    claims = bundled_frames["claims"]
    assert list(german) == claims.loc[claims["statement_id"] == PRESS_RELEASE_ID, "claim_id"].tolist()
    assert len(german) == 9


def test_falling_refugee_numbers_are_supported_by_29622_arrivals_2015_and_6600_2016(german):
    verdict = german[CLAIM.format("fluechtlingszahlen-sinkend")]
    assert verdict.code == "supported" and verdict.status == "gestützt"
    assert "29.622 (2015) → 6.600 (2016), −77,7 %" in verdict.text
    assert verdict.values["previous"] == [29622.0] and verdict.values["current"] == [6600.0]
    assert verdict.source_ids == ["bimf-zahlen"]
    assert verdict.sources.startswith("Quelle: Beauftragte für Integration, Migration und Flüchtlinge Thüringen")


def test_280000_by_2025_is_a_projection_set_beside_the_later_studies(german):
    verdict = german[CLAIM.format("fachkraeftebedarf-2025")]
    assert verdict.code == "projection" and verdict.status == "nicht direkt prüfbar (Prognose)"
    assert verdict.text.startswith("280.000 Fachkräftebedarf bis 2025: spätere Studien nennen 344.000 "
                                   "Fachkräftebedarf bis 2030")
    assert "250.000 fehlende Fachkräfte bis 2035" in verdict.text
    assert "75.000 bis 280.000" in verdict.text           # the range of earlier studies, shown as a range
    assert verdict.values["claimed"] == 280000.0
    assert verdict.values["later"] == {"2018-studie-total-demand-2030": 344000.0,
                                       "2024-fachkraeftestudie-shortfall-2035": 250000.0}
    assert "2016-staatskanzlei-total-demand-2025" not in verdict.values["earlier"]


def test_greek_pilot_has_no_participant_numbers_and_none_are_invented(german):
    verdict = german[CLAIM.format("griechenland-pilot-angelaufen")]
    assert verdict.code == "not_checkable" and verdict.status == "nicht prüfbar"
    assert verdict.text.endswith("Teilnehmerzahlen keine Angabe")
    assert verdict.values == {} and verdict.source_ids == []


def test_recruiting_in_spain_and_portugal_has_only_germany_wide_comparison_figures(german):
    verdict = german[CLAIM.format("werbung-spanien-portugal")]
    assert verdict.code == "not_checkable"
    assert "Teilnehmerzahlen keine Angabe" in verdict.text
    assert "bundesweit" in verdict.text and "Spanien 5.642" in verdict.text and "Portugal 407" in verdict.text


@pytest.mark.parametrize("slug", ["spurwechsel", "eckpunkte-vor-sommerpause", "fluechtlinge-sollen-bleiben",
                                  "umf-einrichtungen-gemeinsam-nutzen"])
def test_claims_without_a_figure_say_so(german, slug):
    verdict = german[CLAIM.format(slug)]
    assert verdict.code == "no_figure" and verdict.text == "keine Zahl behauptet"


def test_keeping_facilities_has_no_figure_but_shows_the_arrivals(german):
    verdict = german[CLAIM.format("einrichtungen-vorhalten")]
    assert verdict.code == "no_figure" and "29.622 (2015) → 6.600 (2016)" in verdict.text


def test_english_verdicts_use_english_status_and_separators(bundled_frames):
    english = {v.claim_id: v for v in verdicts(bundled_frames, lang="en")}
    verdict = english[CLAIM.format("fluechtlingszahlen-sinkend")]
    assert verdict.status == "supported" and "29,622 (2015) → 6,600 (2016), −77.7 %" in verdict.text
    assert english[CLAIM.format("spurwechsel")].text == "no figure claimed"


def test_a_later_statement_matching_an_independent_source_is_supported(bundled_frames):
    verdict = verdict_for(_claim(bundled_frames, "2017-01-weniger-asylsuchende-2016-asylum-arrivals-2016"),
                          bundled_frames)
    assert verdict.code == "supported" and verdict.values["claimed"] == 6600.0


def test_figure_from_its_own_source_only_is_not_checkable(bundled_frames):
    claims = bundled_frames["claims"]
    claim = claims[claims["claim_id"].str.startswith("2025-12-asylerstantraege-halbiert-2025")].iloc[0]
    verdict = verdict_for(claim, bundled_frames)
    assert verdict.code == "not_checkable" and "keine zweite Quelle" in verdict.text


def test_protection_seekers_are_summed_over_non_overlapping_statuses_only(bundled_frames):
    indicators = bundled_frames["indicators"]
    rows = indicators[(indicators["indicator_id"] == "protection_seekers") & (indicators["region_code"] == "16")]
    totals = with_derived_totals(rows)
    total = totals[(totals["status"] == "") & (totals["breakdown"] == "")]
    assert total["value"].tolist() == [60095.0 + 9250.0 + 3410.0]
    assert total["value"].iloc[0] < rows["value"].sum()     # summing every status would double-count


def test_germany_wide_protection_seekers_claim_matches_the_derived_total_within_tolerance(bundled_frames):
    claims = bundled_frames["claims"]
    claim = claims[claims["claim_id"].str.startswith("2025-06-destatis-schutzsuchende-2024")].iloc[0]
    verdict = verdict_for(claim, bundled_frames)
    assert verdict.values["observed"] == [2695775.0 + 419495.0 + 162735.0]
    assert verdict.code == "partly"     # the figure matches; the claimed rise has no 2023 figure to compare


def test_period_helpers():
    assert previous_period("2019-01/2019-09") == "2018-01/2018-09"
    assert period_label("2016-01/2016-09") == "01–09/2016"
    assert period_label("2024-12-31") == "31.12.2024" and period_label("2024-12-31", "en") == "2024-12-31"
    assert escape_markdown("[x](javascript:y) *b*") == r"\[x\]\(javascript\:y\) \*b\*"


def test_conflicting_sources_for_the_claimed_trend_are_reported_not_resolved(bundled_frames):
    frames = dict(bundled_frames)
    indicators = frames["indicators"]
    extra = indicators[(indicators["indicator_id"] == "asylum_arrivals") & (indicators["period"] == "2016")
                       & (indicators["region_code"] == "16")].assign(source_id="synthetic-other", value=40000.0)
    frames["indicators"] = pd.concat([indicators, extra], ignore_index=True)
    verdict = verdict_for(_claim(frames, CLAIM.format("fluechtlingszahlen-sinkend")), frames)
    assert verdict.code == "conflicting" and "6.600 / 40.000" in verdict.text
