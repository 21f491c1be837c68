"""Bytes to text: strict UTF-8 first, then charset detection, then mojibake repair (ftfy)."""

from __future__ import annotations

import charset_normalizer
import ftfy

from storyline.errors import DecodeError, UnsupportedInput

_BINARY_MAGIC = (b"%PDF", b"PK\x03\x04", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"\x7fELF")


def looks_binary(data: bytes) -> bool:
    """True for bytes that are no text in any encoding we read (NULs, known binary headers)."""
    head = data[:8192]
    if head.startswith(_BINARY_MAGIC):
        return True
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    controls = sum(1 for b in head if b < 9 or 13 < b < 32)
    return bool(head) and controls / len(head) > 0.05


def decode_bytes(data: bytes, declared: str | None = None) -> str:
    """Decode ``data`` to text, repairing mis-declared encodings and mojibake such as ``Â£``."""
    if looks_binary(data):
        raise UnsupportedInput("binary content, not text: give storyline .txt, .html, .jsonl, "
                               ".warc or RSS/Atom files")
    text: str | None = None
    for enc in ("utf-8-sig", declared):
        if not enc:
            continue
        try:
            text = data.decode(enc)
            break
        except (UnicodeDecodeError, LookupError):
            continue
    if text is None:
        best = charset_normalizer.from_bytes(data).best()
        if best is None:
            raise DecodeError("no text encoding fits these bytes; convert the file to UTF-8 and retry")
        text = str(best)
    return fix_text(text)


def fix_text(text: str) -> str:
    """Repair mojibake and normalise line ends, keeping typographic quotes as printed."""
    fixed = ftfy.fix_text(text, uncurl_quotes=False, fix_latin_ligatures=False,
                          normalization="NFC", fix_character_width=False)
    return fixed.replace("\r\n", "\n").replace("\r", "\n")
