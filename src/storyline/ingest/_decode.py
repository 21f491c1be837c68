"""Bytes to text: strict UTF-8 first, then charset detection, then mojibake repair (ftfy)."""

from __future__ import annotations

import unicodedata

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
        text = _best_legacy(data)
    return fix_text(text)


_LEGACY = ("cp1252", "cp1251", "koi8_r", "iso8859_2", "cp1250", "iso8859_7")


def _plausibility(text: str) -> int:
    """How much of ``text`` is ASCII or letters of the alphabets news is written in."""
    score = 0
    for ch in text:
        if ch.isascii() or (ch.isalpha() and unicodedata.name(ch, "").startswith(
                ("LATIN", "CYRILLIC", "GREEK"))):
            score += 1
    return score


def _best_legacy(data: bytes) -> str:
    """The most plausible decoding among charset detection's guess and common legacy encodings."""
    candidates: list[str] = []
    for enc in _LEGACY:
        try:
            candidates.append(data.decode(enc))
        except UnicodeDecodeError:
            continue
    best = charset_normalizer.from_bytes(data).best()
    if best is not None:
        candidates.append(str(best))
    if not candidates:
        raise DecodeError("no text encoding fits these bytes; convert the file to UTF-8 and retry")
    # Cyrillic legacy pages decode "validly" as cp1252 mojibake: prefer one script over a mix.
    return max(candidates, key=lambda t: (_plausibility(t) - _script_mix(t), -candidates.index(t)))


def _script_mix(text: str) -> int:
    """Words that look like mojibake: mostly accented Latin, or case flipping inside a word."""
    bad = 0
    for word in text.split():
        letters = [c for c in word if c.isalpha()]
        if len(letters) < 2:
            continue
        accented = sum(1 for c in letters if not c.isascii() and
                       unicodedata.name(c, "").startswith("LATIN"))
        flips = sum(1 for a, b in zip(letters, letters[1:], strict=False)
                    if a.islower() and b.isupper())
        if accented / len(letters) > 0.5 or flips:
            bad += len(letters)
    return bad


def fix_text(text: str) -> str:
    """Repair mojibake and normalise line ends, keeping typographic quotes as printed."""
    fixed = ftfy.fix_text(text, uncurl_quotes=False, fix_latin_ligatures=False,
                          normalization="NFC", fix_character_width=False)
    return fixed.replace("\r\n", "\n").replace("\r", "\n")
