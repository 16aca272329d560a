"""Lines → paragraph-sized blocks, joining the lines of a hard-wrapped paragraph."""

from __future__ import annotations

from dataclasses import dataclass

from ..text import normalise_space
from .dates import dateline
from .lines import credit, heading, masthead_line, title_like

WRAP_WIDTH = 100


@dataclass
class Block:
    text: str
    line: int


def _stands_alone(text: str, *, as_next: bool) -> bool:
    if masthead_line(text) or heading(text) or credit(text):
        return True
    found = dateline(text)
    return bool(found) and (as_next or not found.rest)


_TERMINAL = ".!?؟:;؛…\"”»’)]'"


def _hard_wrapped(lines: list[str]) -> tuple[bool, int]:
    """Whether the text is visibly hard-wrapped, and its width.

    Every line is at most ``WRAP_WIDTH`` characters and several of the long lines (at
    least 60% of the width) end in the middle of a sentence with the next line
    following straight on; one-line paragraphs end with punctuation instead.
    """
    width = max(len(line) for line in lines)
    if width > WRAP_WIDTH or width < 30:
        return False, width
    long = [i for i, line in enumerate(lines) if len(line) >= 0.6 * width]
    open_ = [
        i for i in long if lines[i][-1] not in _TERMINAL and i + 1 < len(lines) and lines[i + 1]
    ]
    return len(open_) >= 2 and len(open_) >= 0.3 * len(long), width


def blocks_of(text: str) -> list[Block]:
    """Paragraph-sized blocks with their first line (the rules: :mod:`.document`)."""
    lines = [normalise_space(line) for line in text.split("\n")]
    wrapped, width = _hard_wrapped(lines)
    first = next((i for i, line in enumerate(lines) if line), 0)
    blocks: list[Block] = []
    previous = ""
    for index, line in enumerate(lines):
        if not line:
            previous = ""
            continue
        joins = (
            previous
            and previous[-1] not in _TERMINAL
            and (
                (line[0].isascii() and line[0].islower())
                or (
                    wrapped
                    and len(previous) >= 0.6 * width
                    and not (index - 1 == first and title_like(previous))
                )
            )
            and not _stands_alone(previous, as_next=False)
            and not _stands_alone(line, as_next=True)
        )
        if joins:
            blocks[-1].text += " " + line
        else:
            blocks.append(Block(line, index + 1))
        previous = line
    return blocks
