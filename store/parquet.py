"""DataFrame ↔ Parquet bytes, deterministic (no pandas index, fixed compression) and dtype-preserving."""
from __future__ import annotations

import hashlib
import io

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

COMPRESSION = "zstd"
COMPRESSION_LEVEL = 3


def to_parquet(frame: pd.DataFrame) -> bytes:
    """The frame's content as Parquet bytes; the same frame always gives the same bytes.

    The index is not stored: a frame reads back with a fresh RangeIndex. Pandas' own schema
    metadata travels inside the file, so dtypes (str, Int64, boolean, category, tz-aware
    datetimes …) come back as they went in; object columns of text come back as `str`.
    """
    table = pa.Table.from_pandas(frame, preserve_index=False)
    buffer = io.BytesIO()
    pq.write_table(table, buffer, compression=COMPRESSION, compression_level=COMPRESSION_LEVEL)
    return buffer.getvalue()


def from_parquet(content: bytes) -> pd.DataFrame:
    return pq.read_table(io.BytesIO(content)).to_pandas()


def sha256_of(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()
