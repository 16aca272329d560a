"""Datelines: "9 November 2011 –", "9 تشرين الثاني/نوفمبر 2011 –", "November 9, 2011"."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..text import fold, normalise_space

DATELINE_EXAMPLE = "9 November 2011 –"


_MONTHS = {
    **{
        m: n
        for n, m in enumerate(
            str.split(
                "january february march april may june july august september october "
                "november december"
            ),
            1,
        )
    },
    **{m: n for n, m in enumerate(str.split("jan feb mar apr may jun jul aug sep oct nov dec"), 1)},
    "sept": 9,
    # Levantine names (folded: أ/إ/آ written ا)
    "كانون الثاني": 1, "شباط": 2, "اذار": 3, "نيسان": 4, "ايار": 5, "حزيران": 6, "تموز": 7,
    "اب": 8, "ايلول": 9, "تشرين الاول": 10, "تشرين الثاني": 11, "كانون الاول": 12,
    # Egyptian (and UN-style second) names
    "يناير": 1, "فبراير": 2, "مارس": 3, "ابريل": 4, "مايو": 5, "يونيو": 6, "يونيه": 6,
    "يوليو": 7, "يوليه": 7, "اغسطس": 8, "سبتمبر": 9, "اكتوبر": 10, "نوفمبر": 11,
    "ديسمبر": 12,
}  # fmt: skip
_MONTH = "|".join(re.escape(m) for m in sorted(_MONTHS, key=len, reverse=True))
_DAY_MONTH_YEAR = re.compile(
    rf"(?P<day>\d{{1,2}})\s+(?P<month>(?:{_MONTH})\.?(?:\s*/\s*(?:{_MONTH}))?)\s*,?\s+"
    r"(?P<year>\d{4})(?!\d)",
    re.IGNORECASE,
)
_MONTH_DAY_YEAR = re.compile(
    rf"(?P<month>(?:{_MONTH})\.?)\s+(?P<day>\d{{1,2}})\s*,\s*(?P<year>\d{{4}})(?!\d)",
    re.IGNORECASE,
)
_AFTER_DATE = re.compile(r"\s*(?:(?P<dash>[-–—‒―−])\s*(?P<rest>.*))?", re.DOTALL)


@dataclass(frozen=True)
class Dateline:
    written: str  # the date as the source writes it
    day: int
    months: tuple[int, ...]  # one per month name ("تشرين الثاني/نوفمبر" names two)
    year: int
    rest: str  # text after the dash


def dateline(text: str) -> Dateline | None:
    """A line that starts with a date and then has a dash or nothing: "9 November 2011 –",
    "9 تشرين الثاني/نوفمبر 2011 –", "٩ نوفمبر ٢٠١١ -", "November 9, 2011"."""
    folded = fold(text)
    match = _DAY_MONTH_YEAR.match(folded) or _MONTH_DAY_YEAR.match(folded)
    if not match:
        return None
    after = _AFTER_DATE.fullmatch(folded, match.end())
    if not after:
        return None
    names = [m.strip().rstrip(".").casefold() for m in match.group("month").split("/")]
    return Dateline(
        written=normalise_space(text[: match.end()]),
        day=int(match.group("day")),
        months=tuple(_MONTHS[n] for n in names),
        year=int(match.group("year")),
        rest=text[after.start("rest") :].strip() if after.group("dash") else "",
    )
