"""loaders.coded.Coded: working on a text column once per distinct value gives what working per row gives."""
import numpy as np
import pandas as pd
import pyarrow as pa
from hypothesis import given, settings, strategies as st

from loaders.coded import Coded

# A few distinct texts (with blanks, padding, umlauts) repeated over many rows, as in a GENESIS export.
_TEXTS = st.sampled_from(["", " ", "Insgesamt", " männlich ", "16051", "Erfurt, Stadt", "ä", "x"])
_COLUMNS = st.lists(st.one_of(_TEXTS, st.none()), max_size=60)


def _as_rows(column: list) -> pd.Series:
    return pd.Series(column, dtype="str")


@settings(max_examples=200, deadline=None, derandomize=True, database=None)
@given(_COLUMNS)
def test_of_then_series_gives_the_column_back_with_missing_cells_as_empty_text(column):
    rows = _as_rows(column)
    coded = Coded.of(rows)
    assert len(coded) == len(rows)
    assert coded.series().tolist() == rows.fillna("").tolist()
    assert coded.series().dtype == "str"


@settings(max_examples=200, deadline=None, derandomize=True, database=None)
@given(_COLUMNS)
def test_map_test_and_present_agree_with_the_same_work_per_row(column):
    rows = _as_rows(column).fillna("")
    coded = Coded.of(rows)
    assert coded.map(str.strip).series().tolist() == [text.strip() for text in rows]
    assert coded.test(lambda text: text.strip() == "").tolist() == [text.strip() == "" for text in rows]
    assert coded.present() == list(dict.fromkeys(rows))
    first = coded.first_rows()
    assert sorted(rows.iloc[first].tolist()) == sorted(set(rows))


@settings(max_examples=200, deadline=None, derandomize=True, database=None)
@given(st.lists(st.tuples(_TEXTS, _TEXTS), max_size=60))
def test_combine_calls_the_function_once_per_distinct_pair_and_gives_the_per_row_result(pairs):
    left = Coded.of(pd.Series([a for a, _ in pairs], dtype="str"))
    right = Coded.of(pd.Series([b for _, b in pairs], dtype="str"))
    calls = []

    def joined(a: str, b: str) -> str:
        calls.append((a, b))
        return f"{a}|{b}"

    combined = Coded.combine([left, right], joined)
    assert combined.series().tolist() == [f"{a}|{b}" for a, b in pairs]
    assert sorted(calls) == sorted(set(pairs))


@settings(max_examples=200, deadline=None, derandomize=True, database=None)
@given(_COLUMNS)
def test_dense_codes_are_equal_exactly_for_equal_texts_and_ordered_like_the_texts(column):
    rows = _as_rows(column).fillna("").tolist()
    codes, size = Coded.of(pd.Series(rows, dtype="str")).dense()
    assert all(0 <= code < size for code in codes)
    for i, a in enumerate(rows):
        for j, b in enumerate(rows):
            assert (codes[i] == codes[j]) == (a == b)
            assert (codes[i] < codes[j]) == (a < b)


def test_a_column_of_one_text_comes_out_as_that_text_in_every_row():
    assert Coded.constant("Anzahl", 3).series().tolist() == ["Anzahl"] * 3
    assert Coded.constant("", 0).series().tolist() == []
    # Several codes into a one-text list (e.g. after a map) still name that text.
    assert Coded(np.zeros(4, dtype="int64"), ["x"]).series().tolist() == ["x"] * 4


def test_the_series_is_arrow_backed_text():
    series = Coded.of(pd.Series(["a", "b", "a"], dtype="str")).series()
    assert isinstance(series.array, pd.arrays.ArrowStringArray)
    assert pa.array(series.array).type in (pa.large_string(), pa.string())


def test_a_dictionary_encoded_arrow_column_in_several_chunks_gives_its_rows():
    chunks = pa.chunked_array([pa.array(["b", "a", "b"]).dictionary_encode(),
                               pa.array(["a", "c"]).dictionary_encode()])
    coded = Coded.from_dictionary(chunks.unify_dictionaries())
    assert coded.series().tolist() == ["b", "a", "b", "a", "c"]
    assert Coded.from_dictionary(pa.chunked_array([], type=pa.dictionary(pa.int32(), pa.string()))).series().tolist() == []
