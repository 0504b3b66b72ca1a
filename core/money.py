"""Money is integer fen (分); people read 万元."""

from __future__ import annotations

from decimal import Decimal

FEN_PER_WAN = 1_000_000


def fen_to_wan(fen: int | None) -> Decimal | None:
    """Exact 万元 value of an amount in fen (None stays None)."""
    if fen is None:
        return None
    return (Decimal(fen) / FEN_PER_WAN).normalize() if fen else Decimal(0)
