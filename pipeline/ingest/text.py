"""Plain text and Markdown, in any common encoding (charset-normalizer), read in pieces.

A text file is never held whole: :func:`iter_text` decodes it a megabyte at a
time, so that a 50 MB file costs no more memory than a small one. The encoding
is settled first, from a byte-order mark, a streamed UTF-8 check, or
charset-normalizer's guess on the first megabyte.
"""

from __future__ import annotations

import codecs
import re
from typing import Iterator

from .. import errors
import io

CHUNK = 1 << 20  # characters per piece (and bytes per block when checking or sampling)
BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


# control characters (but tab, newlines, form feed), C1 controls and the replacement character
NOT_TEXT = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ufffd]")


def _looks_binary(text: str) -> bool:
    if "\x00" in text:
        return True
    sample = text[:20000]
    return len(NOT_TEXT.findall(sample)) > max(2, len(sample) // 50)


WESTERN = {"cp1252", "windows-1252", "latin_1", "iso8859_1", "iso8859_15", "ascii", "mac_roman"}


def _decodes(fh, encoding: str) -> bool:
    """Whether the whole of ``fh`` (from the start) decodes strictly in ``encoding``, read block by block."""
    fh.seek(0)
    dec = codecs.getincrementaldecoder(encoding)("strict")
    try:
        for block in iter(lambda: fh.read(CHUNK), b""):
            dec.decode(block)
        dec.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _guess(fh, path: str) -> str:
    """Not UTF-8: charset-normalizer's guess, but Windows-1252 (the usual legacy encoding of Dutch and
    English office text) wins over other single-byte code pages when it decodes cleanly; short texts
    give charset-normalizer too little evidence to tell cp1252 from, say, cp1257. The guess is made on
    the first megabyte."""
    from charset_normalizer import from_bytes

    fh.seek(0)
    best = from_bytes(fh.read(CHUNK)).best()
    if best is not None and best.encoding.lower().replace("-", "_") in WESTERN:
        return best.encoding
    if _decodes(fh, "cp1252"):
        return "cp1252"
    if best is None:
        raise errors.IngestError(path, "decode", "not a text file: no text encoding fits its bytes")
    return best.encoding


def text_encoding(path: str) -> str:
    """The encoding of a text file: its byte-order mark, else UTF-8 when all of it decodes, else a guess."""
    with open(path, "rb") as fh:
        head = fh.read(4)
        for bom, enc in BOMS:
            if head.startswith(bom):
                return enc
        if _decodes(fh, "utf-8"):
            return "utf-8"
        return _guess(fh, path)


def iter_text(path: str, chunk: int = CHUNK) -> Iterator[str]:
    """The text of a file in pieces of ``chunk`` characters, line ends normalised to ``\\n``.

    Raises :class:`~pipeline.errors.IngestError` (kind ``decode``) for binary content or bytes that do not
    fit the encoding.
    """
    enc = text_encoding(path)
    first = True
    # newline=None: \r\n and \r become \n, also where a piece boundary falls between \r and \n
    with open(path, encoding=enc, errors="strict", newline=None) as fh:
        while True:
            try:
                piece = fh.read(chunk)
            except UnicodeDecodeError as e:
                raise errors.IngestError(path, "decode", f"invalid {enc} text ({e.reason})") from None
            if not piece:
                return
            if (_looks_binary(piece) if first else "\x00" in piece):
                raise errors.IngestError(path, "decode", "not a text file: binary content")
            first = False
            yield piece


def decode(data: bytes, path: str) -> str:
    """Bytes in memory to text (HTML files): BOMs first, then strict UTF-8, then a guess as above."""

    for bom, enc in BOMS:
        if data.startswith(bom):
            try:
                return data.decode(enc)
            except UnicodeDecodeError as e:
                raise errors.IngestError(path, "decode", f"invalid {enc} text at byte {e.start}") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        try:
            text = data.decode(_guess(io.BytesIO(data), path))
        except UnicodeDecodeError as e:
            raise errors.IngestError(path, "decode", f"not a text file ({e.reason})") from None
    if _looks_binary(text):
        raise errors.IngestError(path, "decode", "not a text file: binary content")
    return text
