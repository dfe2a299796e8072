"""The catalogue keeps the docs honest: every dataset has titles, a source, a licence; every string is translated."""
import re

import pandas as pd
import pytest

import datasets
from datasets.catalogue import entry, period_covered, sources_of
from ui.i18n import STRINGS, number, t


def test_every_dataset_has_german_and_english_title_and_description():
    for name, spec in datasets.specs().items():
        meta = spec.meta
        assert meta.name == name, f"module datasets.{name} declares the name {meta.name!r}"
        for text in (meta.title_de, meta.title_en, meta.description_de, meta.description_en):
            assert text.strip(), f"{name}: a title or description is empty"
        assert meta.title_de != meta.title_en or name == "sources", f"{name}: English title not translated"


def test_every_figure_has_a_source_row_with_licence_and_url(bundled_frames):
    sources = bundled_frames["sources"]
    known = set(sources["source_id"])
    for name, frame in bundled_frames.items():
        if "source_id" not in frame:
            continue
        used = set(frame["source_id"].dropna()) - {""}
        assert used, f"{name} has no source_id at all"
        assert used <= known, f"{name} uses source ids without a row in `sources`: {sorted(used - known)}"
    assert (sources["licence"].str.strip() != "").all()
    assert (sources["url"].str.match(r"^https?://") | (sources["raw_path"] != "")).all()


def test_every_raw_file_used_is_named_by_a_source(bundled_frames):
    raw_paths = set(bundled_frames["sources"]["raw_path"]) - {""}
    for path in raw_paths:
        assert (datasets.RAW_DIR / path).is_file(), path
    assert any(p.startswith("destatis-genesis/") for p in raw_paths)
    assert any(p.startswith("regionalstatistik-genesapi-data/") for p in raw_paths)


def test_build_is_deterministic(bundled_frames):
    again = datasets.build_all()
    for name, frame in bundled_frames.items():
        pd.testing.assert_frame_equal(frame, again[name], obj=name)


def test_period_covered_reads_years_from_dates_and_intervals():
    assert period_covered(pd.Series(["2016-01/2016-09", "1995-12-31", "2025"])) == ("1995", "2025")
    assert period_covered(pd.Series([], dtype=str)) == ("", "")


def test_catalogue_entry_of_indicators_covers_1991_to_2025(bundled_frames):
    e = entry("indicators", datasets.spec("indicators").meta, bundled_frames["indicators"])
    assert e.rows == len(bundled_frames["indicators"])
    assert e.period_from <= "1995" and e.period_to >= "2025"
    assert not sources_of(e, bundled_frames["sources"]).empty


def test_every_ui_string_has_both_translations():
    for key, (german, english) in STRINGS.items():
        assert german.strip() and english.strip(), key
        assert set(re.findall(r"{(\w+)}", german)) == set(re.findall(r"{(\w+)}", english)), key


@pytest.mark.parametrize("lang,expected", [("de", "1.234.567,5"), ("en", "1,234,567.5")])
def test_numbers_use_the_language_convention(lang, expected):
    assert number(1234567.5, lang) == expected


def test_missing_number_says_keine_angabe():
    assert number(float("nan")) == "keine Angabe"
    assert number(None, "en") == t("no_value", "en")


def test_claims_are_credited_with_the_sources_of_their_statements(bundled_frames):
    from datasets.catalogue import claim_source_ids

    ids = set(claim_source_ids(bundled_frames["claims"], bundled_frames["policy_statements"]))
    assert ids and ids <= set(bundled_frames["sources"]["source_id"])


def test_recruitment_pilots_credit_status_sources_too(bundled_frames):
    frame = bundled_frames["recruitment_pilots"]
    ids = set(datasets.spec("recruitment_pilots").source_ids(frame))
    assert set(frame["source_id"]) <= ids and set(frame["status_source_id"]) - {""} <= ids
