"""Exports of a ``paradox tag`` output folder to the formats of other research tools.

- :mod:`.refi`: REFI-QDA projects (``.qdpx``) and codebooks (``.qdc``) for
  ATLAS.ti, MAXQDA, NVivo, QualCoder and other QDA software.
"""

from __future__ import annotations

from .refi import read_run, write_qdc, write_qdpx

__all__ = ["read_run", "write_qdc", "write_qdpx"]
