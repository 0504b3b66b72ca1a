"""The sections of the briefings, in print order (see registry.py and CONTRIBUTING.md)."""

from . import demand_sections, other_sections  # noqa: F401 - importing registers the sections
from .registry import SECTIONS, Context, sections_for

__all__ = ["SECTIONS", "Context", "sections_for"]
