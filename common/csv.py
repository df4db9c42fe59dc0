"""CSV cells that spreadsheets show as text, never run as formulas (CSV injection)."""

from __future__ import annotations

# A spreadsheet evaluates a cell that starts with one of these (tab and carriage return
# included: some programs strip them and read what follows), and some read the full-width
# forms the same way.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def csv_cell(value: object) -> object:
    """One CSV cell: text that could start a formula gets a leading apostrophe.

    Numbers are numbers, not formulas, and stay as they are; None is an empty cell.
    """
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, int | float):
        text = str(value)
        return "'" + text if text.startswith(FORMULA_PREFIXES) else text
    return value
