"""Row- and cell-level difference between the live version of a dataset and a candidate, matched on the key."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

#: Column added to `DiffResult.changed`: the names of the columns that changed in that row, ", "-joined.
CHANGED_COLUMNS = "changed_columns"
#: Hidden key part that tells apart rows whose key occurs more than once (n-th occurrence matches n-th).
_OCCURRENCE = "__occurrence__"


@dataclass
class DiffResult:
    """What publishing `candidate` would change compared with `live`.

    added    -- candidate rows whose key is not live
    removed  -- live rows whose key is not in the candidate
    changed  -- candidate rows whose key is live but at least one other cell differs, plus CHANGED_COLUMNS
    changed_before -- the live version of the `changed` rows, same order
    cells    -- one row per changed cell: the key columns, `column`, `before`, `after` (both as objects)
    totals   -- per numeric column: `column`, `before`, `after`, `difference` (sums, NA skipped)
    counts   -- rows_before, rows_after, added, removed, changed, unchanged, cells_changed
    columns_added / columns_removed -- columns only in the candidate / only in live (not compared cell by cell)
    NA == NA counts as unchanged; the order of rows does not matter.
    """

    key: tuple[str, ...]
    added: pd.DataFrame
    removed: pd.DataFrame
    changed: pd.DataFrame
    changed_before: pd.DataFrame
    cells: pd.DataFrame
    totals: pd.DataFrame
    counts: dict[str, int]
    columns_added: list[str] = field(default_factory=list)
    columns_removed: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        """True when the candidate has the same rows and cells as live (row order aside)."""
        return (self.counts["added"] == 0 and self.counts["removed"] == 0 and self.counts["changed"] == 0
                and not self.columns_added and not self.columns_removed)

    def changed_mask(self) -> pd.DataFrame:
        """Booleans shaped like `changed` (without CHANGED_COLUMNS): True where the cell changed (for highlighting)."""
        columns = [column for column in self.changed.columns if column != CHANGED_COLUMNS]
        mask = pd.DataFrame(False, index=self.changed.index, columns=columns)
        for position, names in enumerate(self.changed[CHANGED_COLUMNS].tolist()):
            for name in names.split(", ") if names else []:
                if name in mask.columns:
                    mask.iat[position, mask.columns.get_loc(name)] = True
        return mask


def diff(live: pd.DataFrame | None, candidate: pd.DataFrame, key: tuple[str, ...]) -> DiffResult:
    """Compare two versions of a dataset row by row (matched on `key`) and cell by cell, vectorised."""
    key = tuple(key)
    live = candidate.iloc[0:0] if live is None else live
    missing = [column for column in key if column not in live.columns or column not in candidate.columns]
    if missing:
        raise KeyError(f"key columns missing: {missing}")
    live = live.reset_index(drop=True)
    candidate = candidate.reset_index(drop=True)
    if not len(live) and len(candidate):      # nothing to match (a new dataset or indicator): every row is added
        result = diff(live, candidate.iloc[0:0], key)
        result.added = candidate
        result.counts.update(rows_after=len(candidate), added=len(candidate))
        result.totals = _totals(live, candidate)
        return result
    common = [column for column in candidate.columns if column in live.columns and column not in key]
    columns_added = [column for column in candidate.columns if column not in live.columns]
    columns_removed = [column for column in live.columns if column not in candidate.columns]

    live_keys, candidate_keys = _comparable_keys(live, candidate, key)
    codes = _row_codes(live_keys, candidate_keys, list(key))
    if codes is not None:      # one integer per (key, occurrence), in the keys' sort order: a cheap merge
        live_keys = pd.DataFrame({"__code__": codes[0], "__live__": np.arange(len(live))})
        candidate_keys = pd.DataFrame({"__code__": codes[1], "__candidate__": np.arange(len(candidate))})
        on = ["__code__"]
    else:
        live_keys[_OCCURRENCE] = _occurrence(live_keys, key)
        candidate_keys[_OCCURRENCE] = _occurrence(candidate_keys, key)
        live_keys["__live__"] = np.arange(len(live))
        candidate_keys["__candidate__"] = np.arange(len(candidate))
        on = [*key, _OCCURRENCE]
    merged = live_keys.merge(candidate_keys, on=on, how="outer", indicator=True, sort=False)
    side = merged["_merge"]
    side = side.cat.codes.to_numpy()[:, None] == side.cat.categories.get_indexer(
        ["left_only", "right_only", "both"])[None, :]         # compared as small integers, not as text
    removed_positions = merged.loc[side[:, 0], "__live__"].to_numpy(dtype="int64")
    added_positions = merged.loc[side[:, 1], "__candidate__"].to_numpy(dtype="int64")
    both = merged[side[:, 2]]
    live_positions = both["__live__"].to_numpy(dtype="int64")
    candidate_positions = both["__candidate__"].to_numpy(dtype="int64")

    differs = np.zeros((len(both), len(common)), dtype=bool)
    for number, column in enumerate(common):
        differs[:, number] = _differs(live[column].take(live_positions), candidate[column].take(candidate_positions))
    row_changed = differs.any(axis=1)

    changed = candidate.take(candidate_positions[row_changed]).reset_index(drop=True)
    changed_before = live.take(live_positions[row_changed]).reset_index(drop=True)
    names = np.array(common, dtype=object)
    changed[CHANGED_COLUMNS] = pd.Series([", ".join(names[flags]) for flags in differs[row_changed]], dtype="str")

    cells = _cells(live, candidate, key, common, differs, live_positions, candidate_positions)
    counts = {
        "rows_before": len(live), "rows_after": len(candidate),
        "added": len(added_positions), "removed": len(removed_positions),
        "changed": int(row_changed.sum()), "unchanged": int((~row_changed).sum()),
        "cells_changed": int(differs.sum()),
    }
    return DiffResult(
        key=key,
        added=_rows_at(candidate, np.sort(added_positions)),
        removed=_rows_at(live, np.sort(removed_positions)),
        changed=changed, changed_before=changed_before, cells=cells,
        totals=_totals(live, candidate), counts=counts,
        columns_added=columns_added, columns_removed=columns_removed)


def diff_replacing(live: pd.DataFrame, candidate: pd.DataFrame, key: tuple[str, ...], replaced: np.ndarray,
                   new_rows: pd.DataFrame) -> DiffResult:
    """diff(live, candidate, key) for a candidate that is `live` without the rows marked in `replaced` (booleans,
    one per live row) plus `new_rows`, where no kept row shares a key with a new row (an indicators upload
    replaces one indicator of one source). Only the replaced and the new rows are compared: the kept rows are
    unchanged by construction, so a new indicator next to a million live rows costs no matching of those."""
    replaced = np.asarray(replaced, dtype=bool)
    part = diff(live.loc[replaced], new_rows, key)
    kept = int((~replaced).sum())
    part.counts.update(rows_before=len(live), rows_after=len(candidate), unchanged=part.counts["unchanged"] + kept)
    part.totals = _totals(live, candidate)
    part.columns_added = [column for column in candidate.columns if column not in live.columns]
    part.columns_removed = [column for column in live.columns if column not in candidate.columns]
    return part


def _rows_at(frame: pd.DataFrame, positions: np.ndarray) -> pd.DataFrame:
    """frame.take(positions) with a fresh index; a slice when the positions are one run (a new series)."""
    if len(positions) and positions[-1] - positions[0] == len(positions) - 1:
        return frame.iloc[positions[0]:positions[-1] + 1].reset_index(drop=True)
    return frame.take(positions).reset_index(drop=True)


def row_codes(columns: list[pd.Series | tuple[np.ndarray, int]]) -> np.ndarray:
    """One int64 per row, equal iff every column is equal (NA equals NA), and ordered like the rows sorted by
    the columns (missing last, as sort_values): sorting or matching rows by text keys then costs one hash pass
    per column. A column may also come as (codes, size) with 0 <= code < size, already ordered like its values
    (`loaders.coded.Coded.dense`): no hash pass. Raises TypeError when a column's values do not sort."""
    length = len(columns[0][0] if isinstance(columns[0], tuple) else columns[0]) if columns else 0
    combined = np.zeros(length, dtype="int64")
    bound = 1                                     # combined < bound
    for column in columns:
        if isinstance(column, tuple):
            codes, size = column
        else:
            codes, uniques = pd.factorize(column, sort=True)
            size = len(uniques) + 1
            codes = np.where(codes < 0, len(uniques), codes)
        if bound * size >= 2 ** 62:               # compress first (order kept) so the product cannot overflow
            combined = pd.factorize(combined, sort=True)[0]
            bound = int(combined.max(initial=0)) + 1
        combined = combined * size + codes
        bound *= size
    return combined


def _row_codes(live_keys: pd.DataFrame, candidate_keys: pd.DataFrame, columns: list[str]
               ) -> tuple[np.ndarray, np.ndarray] | None:
    """One int64 per row for (key, occurrence), equal iff the key columns are equal (NA equals NA, as in merge)
    and it is the same occurrence of that key on its side; ordered like the sorted keys, so the outer merge
    keeps its row order. None when the values do not sort (mixed types)."""
    both = len(live_keys)
    try:
        combined = row_codes([pd.concat([live_keys[column], candidate_keys[column]], ignore_index=True)
                              for column in columns])
    except TypeError:
        return None
    if not columns:
        combined = np.zeros(both + len(candidate_keys), dtype="int64")
    # NOTE: keys should be unique; where they are not, the n-th live row is matched with the n-th candidate row.
    live_occurrence, candidate_occurrence = _repeat_number(combined[:both]), _repeat_number(combined[both:])
    repeats = max(live_occurrence.max(initial=0), candidate_occurrence.max(initial=0)) + 1
    if repeats == 1:                                      # unique keys on both sides (the rule): codes as they are
        return combined[:both], combined[both:]
    combined = pd.factorize(combined, sort=True)[0]      # dense, so code * repeats cannot overflow
    live_code, candidate_code = combined[:both], combined[both:]
    return live_code * repeats + live_occurrence, candidate_code * repeats + candidate_occurrence


def _repeat_number(codes: np.ndarray) -> np.ndarray:
    """0 for the first row of each code, 1 for its second …"""
    if not pd.Series(codes).duplicated().any():
        return np.zeros(len(codes), dtype="int64")
    return pd.Series(codes).groupby(codes, sort=False).cumcount().to_numpy()


def _comparable_keys(live: pd.DataFrame, candidate: pd.DataFrame, key: tuple[str, ...]
                     ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Key columns of both sides with the same dtype (text where they differ) and an occurrence counter."""
    live_keys = pd.DataFrame(index=live.index)
    candidate_keys = pd.DataFrame(index=candidate.index)
    for column in key:
        left, right = live[column], candidate[column]
        if left.dtype != right.dtype:
            left, right = _as_text(left), _as_text(right)
        live_keys[column] = left
        candidate_keys[column] = right
    return live_keys, candidate_keys


def _occurrence(keys: pd.DataFrame, key: tuple[str, ...]) -> np.ndarray:
    """0 for the first row of each key, 1 for its second … (groupby-cumcount on integer codes)."""
    if not key:
        return np.arange(len(keys))
    codes = np.zeros(len(keys), dtype="int64")
    for column in key:
        column_codes, uniques = pd.factorize(keys[column], use_na_sentinel=False)
        codes = pd.factorize(codes * (len(uniques) + 1) + column_codes)[0]
    return pd.Series(codes).groupby(codes, sort=False).cumcount().to_numpy()


def _as_text(column: pd.Series) -> pd.Series:
    return column.astype("str").where(column.notna(), pd.NA)


def _differs(before: pd.Series, after: pd.Series) -> np.ndarray:
    """True where the cells differ; NA on both sides counts as equal."""
    before = before.reset_index(drop=True)
    after = after.reset_index(drop=True)
    before_na = before.isna().to_numpy()
    after_na = after.isna().to_numpy()
    numeric = pd.api.types.is_numeric_dtype(before.dtype) and pd.api.types.is_numeric_dtype(after.dtype) \
        and not pd.api.types.is_bool_dtype(before.dtype) and not pd.api.types.is_bool_dtype(after.dtype)
    if numeric:
        left = before.to_numpy(dtype="float64", na_value=np.nan)
        right = after.to_numpy(dtype="float64", na_value=np.nan)
        equal = left == right
    else:
        try:
            equal = (before == after).fillna(False).to_numpy(dtype=bool)
        except (TypeError, ValueError):
            equal = (_as_text(before) == _as_text(after)).fillna(False).to_numpy(dtype=bool)
    both_na = before_na & after_na
    return ~(equal | both_na)


def _cells(live, candidate, key, common, differs, live_positions, candidate_positions) -> pd.DataFrame:
    rows, columns = np.nonzero(differs)
    parts = []
    for number, column in enumerate(common):
        selected = rows[columns == number]
        if not len(selected):
            continue
        part = candidate[list(key)].take(candidate_positions[selected]).reset_index(drop=True)
        part["column"] = column
        part["before"] = pd.Series(live[column].take(live_positions[selected]).to_numpy(dtype=object), dtype=object)
        part["after"] = pd.Series(candidate[column].take(candidate_positions[selected]).to_numpy(dtype=object),
                                  dtype=object)
        parts.append(part)
    if not parts:
        frame = candidate[list(key)].iloc[0:0].copy()
        frame["column"] = pd.Series([], dtype="str")
        frame["before"] = pd.Series([], dtype=object)
        frame["after"] = pd.Series([], dtype=object)
        return frame.reset_index(drop=True)
    return pd.concat(parts, ignore_index=True)


def _totals(live: pd.DataFrame, candidate: pd.DataFrame) -> pd.DataFrame:
    def numeric(frame: pd.DataFrame) -> list[str]:
        return [column for column in frame.columns if pd.api.types.is_numeric_dtype(frame[column].dtype)
                and not pd.api.types.is_bool_dtype(frame[column].dtype)]

    names = list(dict.fromkeys([*numeric(live), *numeric(candidate)]))
    records = []
    for column in names:
        before = float(pd.to_numeric(live[column], errors="coerce").sum()) if column in live else np.nan
        after = float(pd.to_numeric(candidate[column], errors="coerce").sum()) if column in candidate else np.nan
        records.append({"column": column, "before": before, "after": after, "difference": after - before})
    frame = pd.DataFrame.from_records(records, columns=["column", "before", "after", "difference"])
    frame["column"] = frame["column"].astype("str")
    return frame.astype({"before": "float64", "after": "float64", "difference": "float64"})
