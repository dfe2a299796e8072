"""datasets.diff: rows added / removed / changed and changed cells, matched on the key; NA == NA; totals."""
import time

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from datasets.diff import CHANGED_COLUMNS, diff, diff_replacing

KEY = ("region_code", "period")


def synthetic_live() -> pd.DataFrame:
    """Synthetic: five district rows with a text, a float (one NA) and a nullable integer column."""
    return pd.DataFrame({
        "region_code": pd.Series(["16051", "16052", "16053", "16054", "16055"], dtype="str"),
        "period": pd.Series(["2023"] * 5, dtype="str"),
        "name": pd.Series(["Erfurt", "Gera", "Jena", "Suhl", "Weimar"], dtype="str"),
        "value": pd.Series([1.0, 2.0, np.nan, 4.0, 5.0], dtype="float64"),
        "count": pd.array([10, 20, None, 40, 50], dtype="Int64"),
    })


def test_identical_frames_in_another_order_give_an_empty_diff():
    live = synthetic_live()
    result = diff(live, live.iloc[::-1].reset_index(drop=True), KEY)
    assert result.empty
    assert result.counts == {"rows_before": 5, "rows_after": 5, "added": 0, "removed": 0, "changed": 0,
                             "unchanged": 5, "cells_changed": 0}
    assert result.cells.empty and result.changed.empty


def test_added_removed_and_changed_cells_are_named_with_before_and_after():
    live = synthetic_live()
    candidate = live.copy()
    candidate.loc[1, "value"] = 2.5                      # Gera: value changed
    candidate.loc[2, "value"] = 3.0                      # Jena: NA -> 3.0 is a change
    candidate.loc[2, "name"] = "Jena, Stadt"             # Jena: two cells in one row
    candidate.loc[3, "count"] = pd.NA                    # Suhl: 40 -> NA is a change
    candidate = candidate.drop(index=4)                  # Weimar removed
    added = pd.DataFrame({"region_code": ["16061"], "period": ["2023"], "name": ["Eichsfeld"], "value": [6.0],
                          "count": pd.array([60], dtype="Int64")}).astype({"region_code": "str", "period": "str",
                                                                           "name": "str"})
    candidate = pd.concat([candidate, added], ignore_index=True)

    result = diff(live, candidate, KEY)

    assert result.counts["added"] == 1 and result.added["region_code"].tolist() == ["16061"]
    assert result.counts["removed"] == 1 and result.removed["region_code"].tolist() == ["16055"]
    assert result.counts["changed"] == 3 and result.counts["unchanged"] == 1
    assert result.counts["cells_changed"] == 4
    by_code = dict(zip(result.changed["region_code"], result.changed[CHANGED_COLUMNS]))
    assert by_code == {"16052": "value", "16053": "name, value", "16054": "count"}
    cells = {(row.region_code, row.column): (row.before, row.after) for row in result.cells.itertuples()}
    assert cells[("16052", "value")] == (2.0, 2.5)
    assert pd.isna(cells[("16053", "value")][0]) and cells[("16053", "value")][1] == 3.0
    assert cells[("16053", "name")] == ("Jena", "Jena, Stadt")
    assert cells[("16054", "count")][0] == 40 and pd.isna(cells[("16054", "count")][1])
    assert result.changed_before.set_index("region_code").loc["16052", "value"] == 2.0
    mask = result.changed_mask()
    assert mask.loc[result.changed["region_code"] == "16053", ["name", "value", "count"]].values.tolist() == \
        [[True, True, False]]


def test_na_on_both_sides_is_unchanged_in_every_dtype():
    live = synthetic_live()
    live.loc[0, "name"] = np.nan
    candidate = live.copy()
    result = diff(live, candidate, KEY)
    assert result.empty


def test_totals_of_every_numeric_column_before_and_after():
    live = synthetic_live()
    candidate = live.copy()
    candidate.loc[0, "value"] = 11.0
    candidate = candidate.drop(index=1)
    totals = diff(live, candidate, KEY).totals.set_index("column")
    assert list(totals.index) == ["value", "count"]
    assert totals.loc["value", "before"] == 12.0 and totals.loc["value", "after"] == 20.0
    assert totals.loc["value", "difference"] == 8.0
    assert totals.loc["count", "before"] == 120.0 and totals.loc["count", "after"] == 100.0


def test_no_live_version_means_every_row_is_added():
    candidate = synthetic_live()
    result = diff(None, candidate, KEY)
    assert result.counts["added"] == 5 and result.counts["rows_before"] == 0 and not result.empty


def test_repeated_keys_are_matched_by_occurrence_not_multiplied():
    live = pd.concat([synthetic_live().iloc[:1]] * 2, ignore_index=True)
    candidate = live.copy()
    candidate.loc[1, "value"] = 9.0
    result = diff(live, candidate, KEY)
    assert result.counts == {"rows_before": 2, "rows_after": 2, "added": 0, "removed": 0, "changed": 1,
                             "unchanged": 1, "cells_changed": 1}


def test_column_added_in_the_candidate_is_reported():
    live = synthetic_live()
    result = diff(live, live.assign(note=""), KEY)
    assert result.columns_added == ["note"] and not result.empty


def test_diff_of_100k_rows_is_fast():
    rng = np.random.default_rng(0)
    count = 100_000
    live = pd.DataFrame({
        "indicator_id": pd.Series(np.repeat(["a", "b"], count // 2), dtype="str"),
        "region_code": pd.Series([f"16{i % 1000:03d}" for i in range(count)], dtype="str"),
        "period": pd.Series([str(1900 + (i // 1000) % 50) for i in range(count)], dtype="str"),
        "value": rng.normal(size=count), "unit": pd.Series(["Personen"] * count, dtype="str"),
    })
    candidate = live.sample(frac=1.0, random_state=1).reset_index(drop=True)
    candidate.loc[:999, "value"] = np.nan
    candidate = candidate.iloc[500:]
    started = time.perf_counter()
    result = diff(live, candidate, ("indicator_id", "region_code", "period"))
    elapsed = time.perf_counter() - started
    assert result.counts["removed"] == 500 and result.counts["changed"] == 500
    assert elapsed < 5.0, f"diff of 100k rows took {elapsed:.2f} s"


@st.composite
def edits(draw):
    """Synthetic frame of n rows and a set of edits: rows removed, rows added, cells changed (to NA or a value)."""
    count = draw(st.integers(min_value=0, max_value=40))
    values = draw(st.lists(st.one_of(st.none(), st.floats(-1e6, 1e6, allow_nan=False)), min_size=count,
                           max_size=count))
    labels = draw(st.lists(st.sampled_from(["", "a", "b", "<svg>", "=1+1"]), min_size=count, max_size=count))
    removed = draw(st.sets(st.integers(0, max(count - 1, 0)), max_size=count)) if count else set()
    kept = [position for position in range(count) if position not in removed]
    changed_value = draw(st.sets(st.sampled_from(kept), max_size=len(kept))) if kept else set()
    changed_label = draw(st.sets(st.sampled_from(kept), max_size=len(kept))) if kept else set()
    added = draw(st.integers(min_value=0, max_value=5))
    return count, values, labels, removed, changed_value, changed_label, added


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edits())
def test_random_edits_give_matching_counts(case):
    count, values, labels, removed, changed_value, changed_label, added = case
    live = pd.DataFrame({
        "id": pd.Series([f"r{position}" for position in range(count)], dtype="str"),
        "label": pd.Series(labels, dtype="str"),
        "value": pd.Series([np.nan if v is None else v for v in values], dtype="float64"),
    })
    candidate = live.copy()
    for position in changed_value:
        old = candidate.loc[position, "value"]
        candidate.loc[position, "value"] = 1.0 if pd.isna(old) else (np.nan if old > 0 else old - 1.0)
    for position in changed_label:
        candidate.loc[position, "label"] = candidate.loc[position, "label"] + "!"
    candidate = candidate.drop(index=sorted(removed))
    new_rows = pd.DataFrame({"id": pd.Series([f"new{n}" for n in range(added)], dtype="str"),
                             "label": pd.Series(["x"] * added, dtype="str"),
                             "value": pd.Series([float(n) for n in range(added)], dtype="float64")})
    candidate = pd.concat([candidate, new_rows], ignore_index=True).sample(frac=1.0, random_state=0)

    result = diff(live, candidate, ("id",))

    assert result.counts["removed"] == len(removed)
    assert result.counts["added"] == added
    assert result.counts["changed"] == len(changed_value | changed_label)
    assert result.counts["cells_changed"] == len(changed_value) + len(changed_label)
    assert result.counts["unchanged"] == count - len(removed) - len(changed_value | changed_label)
    assert result.empty == (not removed and not added and not changed_value and not changed_label)


def test_row_codes_are_equal_for_equal_rows_and_sort_like_the_rows():
    """diff matches and orders rows by one integer per row: it must agree with pandas on equality and order."""
    import numpy as np

    from datasets.diff import row_codes

    frame = pd.DataFrame({
        "region_code": ["16051", "16051", "16052", None, "16051", "Ä-Kreis", "16052", None],
        "period": ["2015", "2014", "2015", "2015", "2015", "2015", None, "2015"],
        "sex": ["m", "w", "m", "m", "m", "w", "m", "m"],
    })
    codes = row_codes([frame[column] for column in frame.columns])
    as_tuples = [tuple("<NA>" if pd.isna(v) else v for v in row) for row in frame.itertuples(index=False)]
    for i in range(len(frame)):
        for j in range(len(frame)):
            assert (codes[i] == codes[j]) == (as_tuples[i] == as_tuples[j])
    by_pandas = frame.sort_values(list(frame.columns), kind="stable", na_position="last").index.to_numpy()
    assert list(np.argsort(codes, kind="stable")) == list(by_pandas)


@st.composite
def replacements(draw):
    """Synthetic indicators-like rows of a few (indicator, source) pairs; one pair is replaced by new rows that
    keep, change, drop and add periods."""
    pairs = [("a", "s1"), ("a", "s2"), ("b", "s1")]
    live_rows = []
    for indicator, source in pairs:
        for period in draw(st.sets(st.integers(2010, 2020), max_size=6)):
            live_rows.append((indicator, source, str(period), draw(st.one_of(st.none(), st.integers(0, 3)))))
    indicator, source = draw(st.sampled_from(pairs + [("c", "s1")]))
    new_rows = [(indicator, source, str(period), draw(st.one_of(st.none(), st.integers(0, 3))))
                for period in draw(st.sets(st.integers(2010, 2020), max_size=6))]
    return live_rows, (indicator, source), new_rows


def _frame(rows) -> pd.DataFrame:
    return pd.DataFrame({
        "indicator_id": pd.Series([row[0] for row in rows], dtype="str"),
        "source_id": pd.Series([row[1] for row in rows], dtype="str"),
        "period": pd.Series([row[2] for row in rows], dtype="str"),
        "value": pd.Series([np.nan if row[3] is None else float(row[3]) for row in rows], dtype="float64"),
    })


@settings(max_examples=150, deadline=None, derandomize=True, database=None)
@given(replacements())
def test_diff_of_a_replaced_pair_equals_the_diff_of_the_whole_version(case):
    """The upload's diff compares only the replaced indicator's rows; it must give what the full diff gives."""
    live_rows, (indicator, source), new_rows = case
    live, new = _frame(live_rows), _frame(new_rows)
    replaced = ((live["indicator_id"] == indicator) & (live["source_id"] == source)).to_numpy()
    candidate = pd.concat([live.loc[~replaced], new], ignore_index=True)
    key = ("indicator_id", "period", "source_id")

    full = diff(live, candidate, key)
    part = diff_replacing(live, candidate, key, replaced, new)

    assert part.counts == full.counts
    assert part.empty == full.empty
    for name in ("added", "removed", "changed", "changed_before", "cells"):
        ordered = [column for column in getattr(full, name).columns if column in key]
        pd.testing.assert_frame_equal(
            getattr(part, name).sort_values(ordered).reset_index(drop=True),
            getattr(full, name).sort_values(ordered).reset_index(drop=True), check_dtype=False)
    pd.testing.assert_frame_equal(part.totals, full.totals)


def test_against_an_empty_live_version_every_row_is_added_with_the_shapes_of_a_full_diff():
    live = synthetic_live()
    result = diff(live.iloc[0:0], live, KEY)
    full_shape = diff(live.iloc[:1], live, KEY)
    pd.testing.assert_frame_equal(result.added, live)
    assert result.counts == {"rows_before": 0, "rows_after": 5, "added": 5, "removed": 0, "changed": 0,
                             "unchanged": 0, "cells_changed": 0}
    for name in ("removed", "changed", "changed_before", "cells"):
        assert list(getattr(result, name).columns) == list(getattr(full_shape, name).columns)
        assert getattr(result, name).empty
    assert result.totals.set_index("column")["after"].to_dict() == {"value": 12.0, "count": 120.0}
