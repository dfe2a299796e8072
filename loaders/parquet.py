"""Safe Parquet reading: flat columns only, row and memory limits checked while reading."""
from __future__ import annotations

import io

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from loaders.errors import LoaderError

#: Rows decoded per step; memory is checked after each step.
BATCH_ROWS = 65_536


def read_parquet_frame(data: bytes, *, max_rows: int = 20_000_000,
                       max_decoded_bytes: int = 4_000_000_000) -> pd.DataFrame:
    """The table in a Parquet file as a DataFrame (strings as pandas' `str` dtype).

    Raises LoaderError "corrupt-parquet" for anything pyarrow cannot read, "parquet-unsupported-column"
    naming the first column of a nested or binary type, "duplicate-header" for a repeated column
    name, "too-many-rows" above `max_rows`, and
    "parquet-too-large" when the decoded table would exceed `max_decoded_bytes`.
    """
    try:
        parquet_file = pq.ParquetFile(io.BytesIO(data))
        schema = parquet_file.schema_arrow
        row_count = parquet_file.metadata.num_rows
    except Exception as error:
        raise _corrupt(error) from None
    _refuse_duplicate_names(schema)
    for column in schema:
        if not _supported(column.type):
            raise LoaderError.single(
                "parquet-unsupported-column",
                f"Spalte „{column.name}“ hat den Typ {column.type}, der nicht unterstützt wird; "
                "erlaubt sind Text, Zahlen, Wahrheitswerte und Datumsangaben.",
                f"Column \"{column.name}\" has the type {column.type}, which is not supported; "
                "allowed are text, numbers, booleans and dates.",
                column=column.name, value=str(column.type))
    if row_count > max_rows:
        raise _too_many_rows(max_rows)
    table = _read_batches(parquet_file, schema, max_rows, max_decoded_bytes)
    try:
        return table.to_pandas()
    except Exception as error:
        raise _corrupt(error) from None


def _refuse_duplicate_names(schema: pa.Schema) -> None:
    seen = set()
    for name in schema.names:
        if name in seen:
            raise LoaderError.single(
                "duplicate-header",
                f"Die Spalte „{name}“ kommt in der Parquet-Datei mehrfach vor.",
                f"The column \"{name}\" occurs more than once in the Parquet file.",
                column=name, value=name)
        seen.add(name)


def _read_batches(parquet_file: pq.ParquetFile, schema: pa.Schema, max_rows: int,
                  max_decoded_bytes: int) -> pa.Table:
    batches = []
    rows = 0
    decoded_bytes = 0
    try:
        for batch in parquet_file.iter_batches(batch_size=BATCH_ROWS):
            rows += batch.num_rows
            decoded_bytes += batch.nbytes
            if rows > max_rows:
                raise _too_many_rows(max_rows)
            if decoded_bytes > max_decoded_bytes:
                raise LoaderError.single(
                    "parquet-too-large",
                    f"Parquet-Datei ist entpackt größer als {max_decoded_bytes:,} Bytes.".replace(",", "."),
                    f"Parquet file is larger than {max_decoded_bytes:,} bytes once decoded.")
            batches.append(batch)
        return _plain_types(pa.Table.from_batches(batches, schema=schema))
    except LoaderError:
        raise
    except Exception as error:
        raise _corrupt(error) from None


def _plain_types(table: pa.Table) -> pa.Table:
    """Dictionary columns become their values, decimals float64, dates timestamps."""
    fields = []
    for column in table.schema:
        data_type = column.type.value_type if pa.types.is_dictionary(column.type) else column.type
        if pa.types.is_decimal(data_type):
            data_type = pa.float64()
        elif pa.types.is_date(data_type):
            data_type = pa.timestamp("ms")
        fields.append(column.with_type(data_type))
    return table.cast(pa.schema(fields))


def _supported(data_type: pa.DataType) -> bool:
    if pa.types.is_dictionary(data_type):
        return _supported(data_type.value_type)
    return (pa.types.is_integer(data_type) or pa.types.is_floating(data_type)
            or pa.types.is_boolean(data_type) or pa.types.is_string(data_type)
            or pa.types.is_large_string(data_type) or pa.types.is_string_view(data_type)
            or pa.types.is_date(data_type) or pa.types.is_timestamp(data_type)
            or pa.types.is_decimal(data_type) or pa.types.is_null(data_type))


def _corrupt(error: Exception) -> LoaderError:
    detail = str(error).splitlines()[0][:200] if str(error) else type(error).__name__
    return LoaderError.single(
        "corrupt-parquet",
        f"Parquet-Datei ist beschädigt oder keine Parquet-Datei ({detail}).",
        f"Parquet file is damaged or not a Parquet file ({detail}).")


def _too_many_rows(max_rows: int) -> LoaderError:
    return LoaderError.single(
        "too-many-rows",
        f"Parquet-Datei hat mehr als {max_rows:,} Zeilen.".replace(",", "."),
        f"Parquet file has more than {max_rows:,} rows.")
