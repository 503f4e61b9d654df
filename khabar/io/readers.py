"""Reading articles: encoding detection, binary refusal, plain text or a JSON article object.

Encodings, in the order they are tried:

1. a byte-order mark: UTF-8-BOM, UTF-32 LE/BE, UTF-16 LE/BE;
2. UTF-16 without a BOM, recognised by the NUL bytes on every other position of Arabic or Latin text;
3. UTF-8 (strict);
4. Windows-1256, accepted only when the decoded text is mostly Arabic letters, Latin letters, digits,
   punctuation and space (so a Latin-1 or binary file is not misread as Arabic);
5. ISO-8859-6 (Arabic), when the Windows-1256 reading puts the accented Latin letters of Windows-1256
   (à â ç è é ê ë î ï ô ù û ü) inside Arabic words — the sign of ISO-8859-6 bytes — and the ISO-8859-6 reading
   is plausible Arabic.

Anything else, and any file with NUL bytes that is not UTF-16/32, is refused with :class:`BinaryInputError` or
:class:`EncodingError`, naming the input.
"""
from __future__ import annotations

import codecs
import json
import sys
from pathlib import Path
from typing import Any

from ..document import Document
from ..errors import (BinaryInputError, EmptyInputError, EncodingError, InputTooLargeError,
                      MalformedJSONError)

MAX_BYTES = 64 * 1024 * 1024  # one article; larger inputs are refused (see --max-bytes)
_BINARY_MAGIC = (b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"PK\x03\x04", b"%PDF", b"\x7fELF", b"\x1f\x8b",
                 b"BZh", b"\xfd7zXZ", b"MZ", b"Rar!", b"7z\xbc\xaf", b"\x00asm", b"OggS", b"ID3", b"RIFF")


def decode_bytes(data: bytes, name: str = "<input>") -> tuple[str, str]:
    """Return ``(text, encoding)`` for raw bytes, or raise an InputError naming ``name``."""
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data[3:], "utf-8", name), "utf-8-sig"
    if data.startswith(codecs.BOM_UTF32_LE) or data.startswith(codecs.BOM_UTF32_BE):
        return _strict(data, "utf-32", name), "utf-32"
    if data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
        return _strict(data, "utf-16", name), "utf-16"
    if any(data.startswith(m) for m in _BINARY_MAGIC) and not _mostly_text_utf8(data):
        raise BinaryInputError("binary data (file signature of an image, archive or executable)", source=name)
    if b"\x00" in data:
        enc = _guess_utf16(data)
        if enc:
            return _strict(data, enc, name), enc
        raise BinaryInputError(f"binary data: {data.count(0)} NUL bytes and no UTF-16/32 pattern", source=name)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        text = None
        utf8_error = e
    if text is not None:
        if _control_ratio(data) > 0.05:
            enc16 = _guess_utf16(data)
            if enc16:
                return _strict(data, enc16, name), enc16
        _check_controls(text, name)
        return text, "utf-8"
    enc16 = _guess_utf16(data)
    if enc16:
        return _strict(data, enc16, name), enc16
    try:
        text = data.decode("cp1256")
    except UnicodeDecodeError:
        text = None
    if text is not None and _plausible_arabic(text):
        if _latin_in_arabic(text):
            try:
                iso = data.decode("iso8859_6")
            except UnicodeDecodeError:
                iso = None
            if iso is not None and _plausible_arabic(iso) and not _latin_in_arabic(iso):
                return iso, "iso-8859-6"
        return text, "cp1256"
    if _control_ratio(data) > 0.05:
        raise BinaryInputError("binary data (many control bytes)", source=name)
    raise EncodingError(f"not valid UTF-8 (byte {utf8_error.start}: {data[utf8_error.start:utf8_error.start+1]!r}), "
                        "and not Windows-1256 Arabic either", source=name)


def _strict(data: bytes, enc: str, name: str) -> str:
    try:
        text = data.decode(enc)
    except UnicodeDecodeError as e:
        raise EncodingError(f"invalid {enc} at byte {e.start}", source=name) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    _check_controls(text, name)
    return text


def _guess_utf16(data: bytes) -> str | None:
    """UTF-16/32 without a BOM: the high bytes of Arabic and Latin text are few (00, 06, 20, FB, FE)."""
    sample = data[:8192]
    if len(sample) < 4:
        return None
    if len(sample) % 4 == 0:
        hi = sample[2::4] + sample[3::4]
        if hi.count(0) > 0.95 * len(hi):
            return "utf-32-le"
        hi = sample[0::4] + sample[1::4]
        if hi.count(0) > 0.95 * len(hi) and _decodes(data, "utf-32-be"):
            return "utf-32-be"
    common = {0x00, 0x06, 0x20, 0xFB, 0xFE, 0x08}
    even, odd = sample[0::2], sample[1::2]
    share_odd = sum(1 for b in odd if b in common) / max(1, len(odd))
    share_even = sum(1 for b in even if b in common) / max(1, len(even))
    if share_odd > 0.9 and share_odd > share_even + 0.3 and _decodes(data, "utf-16-le"):
        return "utf-16-le"
    if share_even > 0.9 and share_even > share_odd + 0.3 and _decodes(data, "utf-16-be"):
        return "utf-16-be"
    return None


def _decodes(data: bytes, enc: str) -> bool:
    try:
        data.decode(enc)
        return True
    except UnicodeDecodeError:
        return False


_CONTROL_BYTES = bytes([*range(0, 9), *range(14, 32)])  # C0 controls but tab, LF, VT, FF, CR
_CONTROL_CHARS = _CONTROL_BYTES.decode("ascii")


def _control_ratio(data: bytes) -> float:
    sample = data[:65536]
    if not sample:
        return 0.0
    bad = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    return bad / len(sample)


def _check_controls(text: str, name: str) -> None:
    sample = text[:65536]
    if sample:
        bad = sum(map(sample.count, _CONTROL_CHARS))
        if bad / len(sample) > 0.05:
            raise BinaryInputError(f"binary data ({bad} control characters in the first {len(sample)})",
                                   source=name)


def _mostly_text_utf8(data: bytes) -> bool:
    try:
        data[:4096].decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False


def _plausible_arabic(text: str) -> bool:
    sample = text[:20000]
    arabic = sum(1 for c in sample if "\u0600" <= c <= "\u06ff")
    letters = sum(1 for c in sample if c.isalpha())
    weird = sum(1 for c in sample if ("\x80" <= c <= "\xbf") or c in "\u2020\u2021\u2030\u0152\u0153\u0178")
    return letters > 0 and arabic / letters > 0.5 and weird / max(1, len(sample)) < 0.02


_CP1256_LATIN = set("àâçèéêëîïôùûü")


def _latin_in_arabic(text: str) -> bool:
    """Whether accented Latin letters sit next to Arabic letters (more than 1 in 100 Arabic letters)."""
    sample = text[:20000]
    arabic = 0
    mixed = 0
    prev_ar = False
    for i, c in enumerate(sample):
        ar = "\u0621" <= c <= "\u064a"
        arabic += ar
        if c in _CP1256_LATIN and (prev_ar or (i + 1 < len(sample) and "\u0621" <= sample[i + 1] <= "\u064a")):
            mixed += 1
        prev_ar = ar
    return arabic > 0 and mixed > 0.01 * arabic


def read_bytes(path: str) -> bytes:
    if path == "-":
        data = sys.stdin.buffer.read(MAX_BYTES + 1)
    else:
        p = Path(path)
        if not p.exists():
            from ..errors import InputError
            raise InputError("no such file", source=path, hint="check the path")
        if p.is_dir():
            from ..errors import InputError
            raise InputError("is a folder, not a file", source=path, hint="pass one file, or use `khabar ingest`")
        with p.open("rb") as f:
            data = f.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise InputTooLargeError(f"larger than {MAX_BYTES // (1024 * 1024)} MB", source=path)
    return data


def loads_json(text: str, name: str = "<input>"):
    """``json.loads`` whose every failure is :class:`MalformedJSONError` naming ``name`` (invalid JSON, and JSON
    nested too deeply for the parser)."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        raise MalformedJSONError(f"invalid JSON at line {e.lineno} column {e.colno}: {e.msg}", source=name) from None
    except RecursionError:
        raise MalformedJSONError("JSON nested too deeply", source=name) from None
    except ValueError as e:  # a number too long for Python's int(), say
        raise MalformedJSONError(f"invalid JSON: {e}", source=name) from None


def check_unicode(text: str, name: str = "<input>", field: str = "text") -> str:
    """Refuse text with lone surrogates (from JSON escapes such as ``\\ud800``): they are not Unicode text and
    cannot be stored or written as UTF-8.  Raises :class:`EncodingError` (E102) naming the input and the place."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as e:
        raise EncodingError(f"\"{field}\" holds a lone surrogate (U+{ord(text[e.start]):04X}) at character {e.start}; "
                            "it is not Unicode text", source=name, hint="fix the JSON escape (\\uD800-\\uDFFF "
                            "must come in pairs)") from None
    return text


# the first key present wins for each field; SaudiNewsNet gives only the time it crawled an article
# (date_extracted), taken as its publication date when nothing better is given: of its 6,536 articles whose URL
# holds their date, 90% were crawled the same day, 9% the next, 0.2% two days later
ARTICLE_META = {"title": "title", "url": "url", "source": "outlet", "outlet": "outlet", "src": "outlet",
                "time": "published", "published": "published", "date": "published", "date_extracted": "published",
                "id": "external_id", "docno": "external_id"}


def document_from_record(rec: Any, name: str = "<input>", *, max_chars: int | None = None) -> Document:
    """A Document from a JSON article object: ``text`` (or ``content``) plus optional metadata."""
    if not isinstance(rec, dict):
        raise MalformedJSONError(f"expected a JSON object, got {type(rec).__name__}", source=name)
    text = rec.get("text")
    if text is None:
        text = rec.get("content")
    if not isinstance(text, str):
        raise MalformedJSONError("the JSON object has no string field \"text\"", source=name)
    check_unicode(text, name)
    meta = {}
    for k, mk in ARTICLE_META.items():
        v = rec.get(k)
        if v is not None and mk not in meta and isinstance(v, (str, int, float)) and not isinstance(v, bool):
            meta[mk] = check_unicode(str(v), name, k)
    return make_document(text, name, max_chars=max_chars, **meta)


def make_document(text: str, name: str = "<input>", *, max_chars: int | None = None, **meta: Any) -> Document:
    """A Document from text; empty text is E103, text over ``max_chars`` characters E105 (both naming ``name``)."""
    if max_chars and len(text) > max_chars:
        from ..limits import too_long
        raise too_long(len(text), max_chars, name)
    if not text.strip():
        raise EmptyInputError("empty or whitespace-only text", source=name)
    return Document.from_text(text, **meta)


def load_document(path: str, *, max_chars: int | None = None) -> Document:
    """Read one article from a file (``-`` = stdin): plain text, a JSON object with ``text``, or an HTML page
    (``.html``/``.htm``/``.xhtml``: its main text, see :mod:`khabar.io.html`).

    ``max_chars``: refuse a longer article (E105) before it is canonicalised (see :mod:`khabar.limits`)."""
    name = "<stdin>" if path == "-" else path
    data = read_bytes(path)
    if not data.strip():
        raise EmptyInputError("empty input", source=name)
    text, _enc = decode_bytes(data, name)
    if path.lower().endswith((".html", ".htm", ".xhtml")):
        from .html import extract_html  # a web page: its main text, as `khabar ingest` reads it

        art = extract_html(text, name)
        meta = dict(art.meta)
        if art.title:
            meta["title"] = art.title
        return make_document(art.text, name, max_chars=max_chars, **meta)
    stripped = text.lstrip()
    if stripped.startswith("{") and (path.endswith(".json") or stripped.rstrip().endswith("}")):
        try:
            rec = loads_json(stripped, name)
        except MalformedJSONError:
            if path.endswith(".json"):
                raise
            rec = None
        if rec is not None:
            return document_from_record(rec, name, max_chars=max_chars)
    elif path.endswith(".json"):
        raise MalformedJSONError("a .json file must hold one JSON object with \"text\"", source=name)
    return make_document(text, name, max_chars=max_chars)
