"""List numbers as Word shows them, computed from a DOCX's ``word/numbering.xml``.

Word stores no list numbers in the text: a paragraph names a list instance (``w:numId``) and a
level (``w:ilvl``); the instance points to an abstract definition whose level gives the start
value, the format (decimal, lowerLetter, upperRoman, bullet…) and a template such as ``%1.%2.``.
Counters run per abstract definition, as in Word, and restart where an instance overrides the
start (``w:lvlOverride/w:startOverride``, which is how Word writes "Restart numbering").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

_CYRILLIC = "абвгдежзиклмнопрстуфхцчшщэюя"


@dataclass(slots=True)
class Level:
    """One level of a list definition."""

    start: int = 1
    fmt: str = "decimal"
    text: str = "%1."
    legal: bool = False


@dataclass(slots=True)
class Numbering:
    """The list definitions of one document and the running counters."""

    abstract: dict[str, dict[int, Level]] = field(default_factory=dict)
    instances: dict[str, tuple[str, dict[int, Level], dict[int, int]]] = field(default_factory=dict)
    counters: dict[str, dict[int, int]] = field(default_factory=dict)
    started: set[str] = field(default_factory=set)

    @classmethod
    def parse(cls, root: Any | None) -> Numbering:
        """Read ``w:numbering`` (None for a document without lists)."""
        result = cls()
        if root is None:
            return result
        for abstract in root.iter(f"{W}abstractNum"):
            result.abstract[abstract.get(f"{W}abstractNumId", "")] = {
                int(lvl.get(f"{W}ilvl", "0")): _level(lvl) for lvl in abstract.iter(f"{W}lvl")
            }
        for num in root.iter(f"{W}num"):
            ref = num.find(f"{W}abstractNumId")
            levels: dict[int, Level] = {}
            starts: dict[int, int] = {}
            for override in num.iter(f"{W}lvlOverride"):
                ilvl = int(override.get(f"{W}ilvl", "0"))
                start = override.find(f"{W}startOverride")
                if start is not None:
                    starts[ilvl] = _int(start.get(f"{W}val"), 1)
                lvl = override.find(f"{W}lvl")
                if lvl is not None:
                    levels[ilvl] = _level(lvl)
            abstract_id = ref.get(f"{W}val", "") if ref is not None else ""
            result.instances[num.get(f"{W}numId", "")] = (abstract_id, levels, starts)
        return result

    def label(self, num_id: str, ilvl: int) -> tuple[str, bool] | None:
        """Advance the counter of (num_id, ilvl); the label Word shows and whether it is a bullet.

        None when the paragraph is not in a list (``numId`` 0 or unknown).
        """
        if num_id not in self.instances:
            return None
        abstract_id, overrides, starts = self.instances[num_id]
        levels = {**self.abstract.get(abstract_id, {}), **overrides}
        level = levels.get(ilvl, Level())
        counters = self.counters.setdefault(abstract_id or num_id, {})
        if num_id not in self.started:
            self.started.add(num_id)
            for lvl, start in starts.items():
                counters[lvl] = start - 1
        counters[ilvl] = counters.get(ilvl, level.start - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]
        if level.fmt == "bullet":
            return "-", True
        if level.fmt == "none":
            return "", False
        text = level.text
        for lvl in range(8, -1, -1):
            placeholder = f"%{lvl + 1}"
            if placeholder in text:
                this = levels.get(lvl, Level())
                value = counters.get(lvl, this.start)
                fmt = "decimal" if level.legal else this.fmt
                text = text.replace(placeholder, format_number(value, fmt))
        return text.strip(), False


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def _level(lvl: Any) -> Level:
    def val(tag: str) -> str | None:
        node = lvl.find(f"{W}{tag}")
        return node.get(f"{W}val") if node is not None else None

    text = val("lvlText")
    return Level(
        start=_int(val("start"), 1),
        fmt=val("numFmt") or "decimal",
        text=text if text is not None else "%1.",
        legal=lvl.find(f"{W}isLgl") is not None,
    )


def _roman(value: int) -> str:
    parts = [
        (1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"),
        (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"),
    ]  # fmt: skip
    out = ""
    for amount, digits in parts:
        while value >= amount:
            out += digits
            value -= amount
    return out


def _letters(value: int, alphabet: str) -> str:
    """Word's letter numbering: a…z, then aa…zz, aaa… (repeated, not base-26)."""
    if value < 1:
        return str(value)
    letter = alphabet[(value - 1) % len(alphabet)]
    return letter * ((value - 1) // len(alphabet) + 1)


def format_number(value: int, fmt: str) -> str:
    """``value`` in Word's number format ``fmt`` (unknown formats fall back to decimal)."""
    if fmt == "decimalZero":
        return f"{value:02d}"
    if fmt in ("lowerLetter", "upperLetter"):
        text = _letters(value, "abcdefghijklmnopqrstuvwxyz")
        return text.upper() if fmt == "upperLetter" else text
    if fmt in ("russianLower", "russianUpper"):
        text = _letters(value, _CYRILLIC)
        return text.upper() if fmt == "russianUpper" else text
    if fmt in ("lowerRoman", "upperRoman") and value > 0:
        text = _roman(value)
        return text.upper() if fmt == "upperRoman" else text
    if fmt == "ordinal":
        suffix = (
            "th" if 10 <= value % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(value % 10, "th")
        )
        return f"{value}{suffix}"
    return str(value)
