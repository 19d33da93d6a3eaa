"""Plain text and Markdown, in any common encoding (charset-normalizer)."""

from __future__ import annotations

import codecs

from .. import errors


def _looks_binary(text: str) -> bool:
    if "\x00" in text:
        return True
    sample = text[:20000]
    bad = sum(1 for ch in sample if (ord(ch) < 32 and ch not in "\n\r\t\f") or 0x7F <= ord(ch) < 0xA0
              or ch == "\ufffd")
    return bad > max(2, len(sample) // 50)


WESTERN = {"cp1252", "windows-1252", "latin_1", "iso8859_1", "iso8859_15", "ascii", "mac_roman"}


def _guess(data: bytes, path: str) -> str:
    """Not UTF-8: charset-normalizer's guess, but Windows-1252 (the usual legacy encoding of Dutch and
    English office text) wins over other single-byte code pages when it decodes cleanly; short texts
    give charset-normalizer too little evidence to tell cp1252 from, say, cp1257."""
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is not None and best.encoding.lower().replace("-", "_") in WESTERN:
        return str(best)
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        pass
    if best is None:
        raise errors.IngestError(path, "decode", "not a text file: no text encoding fits its bytes")
    return str(best)


def decode(data: bytes, path: str) -> str:
    """Bytes to text: BOMs first, then strict UTF-8, then charset-normalizer's best guess."""
    for bom, enc in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                     (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(enc)
            except UnicodeDecodeError as e:
                raise errors.IngestError(path, "decode", f"invalid {enc} text at byte {e.start}") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = _guess(data, path)
    if _looks_binary(text):
        raise errors.IngestError(path, "decode", "not a text file: binary content")
    return text


def read_text(data: bytes, path: str) -> tuple[str, dict]:
    text = decode(data, path)
    return text.replace("\r\n", "\n").replace("\r", "\n"), {}
