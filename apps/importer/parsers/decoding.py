"""Bytes or text → the document's text, or a :class:`ParseError` naming the file and line."""

from __future__ import annotations

import codecs
import re


class ParseError(Exception):
    """A document that cannot be read. ``line`` is 1-based, or None when no line applies."""

    def __init__(self, name: str, line: int | None, message: str):
        super().__init__(name, line, message)
        self.name, self.line, self.message = name, line, message

    def __str__(self) -> str:
        if self.line is None:
            return f"{self.name}: {self.message}"
        return f"{self.name}, line {self.line}: {self.message}"


_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f]")


def _line_at(head: bytes | str) -> int:
    """The 1-based line on which the text after ``head`` starts (LF, CRLF and CR count once)."""
    lf, cr, crlf = ("\n", "\r", "\r\n") if isinstance(head, str) else (b"\n", b"\r", b"\r\n")
    return head.count(lf) + head.count(cr) - head.count(crlf) + 1


def read_text(data: bytes | str, name: str = "<document>") -> str:
    """The document as text with LF line ends and no byte-order mark, or a ParseError."""
    if isinstance(data, (bytes, bytearray, memoryview)):
        data = bytes(data)
        data = data.removeprefix(codecs.BOM_UTF8)
        if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            mark = " ".join(f"0x{b:02X}" for b in data[:2])
            message = f"not UTF-8 text: the file starts with the UTF-16 byte-order mark {mark}"
            raise ParseError(name, None, f"{message}; save it as UTF-8")
        nul = data.find(b"\x00")
        if nul >= 0:
            line = _line_at(data[:nul])
            raise ParseError(name, line, f"binary file, not text: NUL byte at line {line}")
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = _line_at(data[: exc.start])
            raise ParseError(
                name, line, f"not UTF-8 text: invalid byte 0x{data[exc.start]:02X} at line {line}"
            ) from None
    elif isinstance(data, str):
        text = data.removeprefix("\ufeff")
        surrogate = re.search("[\ud800-\udfff]", text)
        if surrogate:
            line = _line_at(text[: surrogate.start()])
            code = ord(surrogate.group())
            raise ParseError(
                name, line, f"not UTF-8 text: lone surrogate U+{code:04X} at line {line}"
            )
    else:
        raise TypeError(f"parse_document() takes bytes or str, not {type(data).__name__}")
    control = _CONTROL.search(text)
    if control:
        line, code = _line_at(text[: control.start()]), ord(control.group())
        what = "NUL byte" if code == 0 else f"control character 0x{code:02X}"
        raise ParseError(name, line, f"binary file, not text: {what} at line {line}")
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")
    if not text.strip():
        raise ParseError(name, None, "the file is empty" + (" (only whitespace)" if text else ""))
    return text
