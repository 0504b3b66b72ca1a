"""The batch evaluation of policies.md: a facts table in, the long results table out.

Facts files are Parquet, CSV or Excel with a ``subject_id`` column and any of the
declared fact columns; other columns are ignored, absent ones count as unknown.
An optional ``subject_kind`` column (``enterprise`` / ``project``) limits each row to
the policies of its kind, so that a file of projects and enterprises together does not
report every project as "unknown" for the enterprise rules.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
from django.utils.translation import gettext as _

from .rules import CompiledRule
from .rules.facts import FACTS_BY_COLUMN, Type
from .rules.vector import evaluate_frame

MAX_SCALE = 9  # decimals kept for a number fact such as land area (mu)


class FactsFileError(Exception):
    """The facts file is missing, unreadable or has a column of the wrong type."""


def read_facts(path: str | Path) -> pl.DataFrame:
    path = Path(path)
    if not path.is_file():
        raise FactsFileError(_("The facts file %(path)s does not exist.") % {"path": path})
    suffix = path.suffix.lower()
    try:
        if suffix == ".parquet":
            frame = pl.read_parquet(path)
        elif suffix == ".csv":
            header = pl.read_csv(path, n_rows=0).columns
            frame = pl.read_csv(path, schema_overrides=_text_overrides(header))
        elif suffix in (".xlsx", ".xlsm"):
            frame = pl.read_excel(path, engine="openpyxl")
        else:
            raise FactsFileError(_("A facts file must be .parquet, .csv or .xlsx, not %(suffix)s.")
                                 % {"suffix": suffix or "?"})
    except FactsFileError:
        raise
    except Exception as error:  # polars and pyarrow raise many kinds; the message is what matters
        raise FactsFileError(_("The facts file %(path)s cannot be read: %(error)s")
                             % {"path": path, "error": error}) from error
    return normalise_facts(frame)


def _text_overrides(header: list[str]) -> dict:
    """CSV columns read with the type the fact needs (numbers as text, parsed exactly later)."""
    dtypes = {Type.BOOL: pl.Boolean, Type.STRING: pl.String, Type.MONEY: pl.Int64, Type.NUMBER: pl.String}
    return {column: dtypes[FACTS_BY_COLUMN[column].type] for column in header if column in FACTS_BY_COLUMN}


def normalise_facts(frame: pl.DataFrame) -> pl.DataFrame:
    """Check each fact column's type and bring it to the one the engine reads."""
    if "subject_id" not in frame.columns:
        raise FactsFileError(_("The facts file has no subject_id column."))
    casts = []
    if "subject_kind" in frame.columns:
        if frame.schema["subject_kind"] not in (pl.String, pl.Null) and not isinstance(
                frame.schema["subject_kind"], pl.Categorical | pl.Enum):
            raise FactsFileError(_("The column subject_kind should hold text (enterprise or project)."))
        casts.append(pl.col("subject_kind").cast(pl.String))
    for column in frame.columns:
        fact = FACTS_BY_COLUMN.get(column)
        if fact is not None:
            casts.append(_cast(column, fact.type, frame.schema[column]))
    try:
        return frame.with_columns(casts) if casts else frame
    except Exception as error:
        raise FactsFileError(_("A fact column has values of the wrong type: %(error)s") % {"error": error}) from error


def _cast(column: str, kind: Type, dtype) -> pl.Expr:
    col = pl.col(column)
    if dtype == pl.Null:
        return col.cast({Type.BOOL: pl.Boolean, Type.STRING: pl.String}.get(kind, pl.Int64))
    if kind is Type.BOOL and dtype == pl.Boolean:
        return col
    if kind is Type.STRING and (dtype == pl.String or isinstance(dtype, pl.Categorical | pl.Enum)):
        return col.cast(pl.String)
    if kind is Type.MONEY and dtype.is_integer():
        return col.cast(pl.Int64)
    if kind is Type.NUMBER:
        if dtype.is_integer():
            return col.cast(pl.Int64)
        if isinstance(dtype, pl.Decimal):
            return col if (dtype.scale or 0) <= MAX_SCALE else col.cast(pl.Decimal(38, MAX_SCALE))
        if dtype.is_float() or dtype == pl.String:
            return col.cast(pl.Decimal(38, 6))
    wanted = {Type.BOOL: _("true/false"), Type.STRING: _("text"), Type.MONEY: _("whole fen (integer)"),
              Type.NUMBER: _("a number")}[kind]
    raise FactsFileError(_("The column %(column)s should hold %(wanted)s, but holds %(dtype)s.")
                         % {"column": column, "wanted": wanted, "dtype": dtype})


def evaluate_file(rules: list[CompiledRule], facts_path: str | Path, out_path: str | Path) -> pl.DataFrame:
    """Read, evaluate and write; returns the results table."""
    frame = read_facts(facts_path)
    results = evaluate_frame(rules, frame)
    # Snappy: about twice as fast to write as zstd here, and every Parquet reader knows it.
    results.write_parquet(out_path, compression="snappy")
    return results
