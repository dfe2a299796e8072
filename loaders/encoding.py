"""Bytes → text: strict UTF-8, UTF-16 by BOM, checked Windows-1252; never mojibake."""
from __future__ import annotations

import codecs
import re

import numpy as np
import pyarrow as pa

from loaders.errors import LoaderError

# NOTE: UTF-8 text wrongly decoded as Windows-1252 (and saved again) shows "Ã¼" for "ü", "â€“" for "–":
# a lead character Â/Ã/â followed by what a UTF-8 continuation byte (0x80–0xBF) looks like in cp1252.
_CONTINUATION = "".join(bytes([byte]).decode("cp1252", errors="ignore") for byte in range(0x80, 0xC0))
_MOJIBAKE = re.compile("[ÂÃ][" + re.escape(_CONTINUATION) + "]|â€[" + re.escape(_CONTINUATION) + "]")

# The lead characters Ã, Â and "â€" as UTF-8 bytes: a quick test before the exact one on text.
_MOJIBAKE_UTF8 = re.compile(rb"\xc3[\x82\x83]|\xc3\xa2\xe2\x82\xac")

#: Non-ASCII characters that occur in German/European statistics text; others count as implausible.
_PLAUSIBLE = set("äöüÄÖÜßéèêëáàâíìîïóòôúùûçñÉÈÀÁÓÚÇÑåøæÅØÆœŒšŠžŽčćřłńśźżąęőűÅ€§°²³µ·½¼¾©®±×÷„“”‚‘’–—…•«»¹º¬¦¨´¸¯¤¢£¥"
                 "\u00a0\u2009\u202f")
_UNUSUAL = re.compile("[^\t\n\r\x20-\x7e" + re.escape("".join(sorted(_PLAUSIBLE))) + "]")


def utf8_name(data: bytes) -> str | None:
    """"utf-8-sig" or "utf-8" when the bytes are valid UTF-8 without mojibake, checked without building a str.

    None means: not sure, call `decode` (which names the exact problem).
    """
    if data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
        return None
    buffer = pa.py_buffer(data)
    offsets = pa.py_buffer(np.array([0, len(data)], dtype=np.int64))
    try:
        pa.Array.from_buffers(pa.large_binary(), 1, [None, offsets, buffer]).cast(pa.large_string())
    except pa.ArrowInvalid:
        return None
    if _MOJIBAKE_UTF8.search(data):
        return None
    return "utf-8-sig" if data.startswith(codecs.BOM_UTF8) else "utf-8"


def decode(data: bytes) -> tuple[str, str]:
    """Return (text, encoding name). Raises LoaderError "unknown-encoding" or "mojibake"."""
    if data.startswith(codecs.BOM_UTF8):
        text = _strict(data[3:], "utf-8", "utf-8-sig")
        _refuse_mojibake(text)
        return text, "utf-8-sig"
    if data.startswith(b"\xff\xfe\x00\x00") or data.startswith(b"\x00\x00\xfe\xff"):
        raise LoaderError.single(
            "unknown-encoding", "Die Datei ist in UTF-32 kodiert. Bitte als UTF-8 speichern.",
            "The file is encoded as UTF-32. Please save it as UTF-8.")
    if data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
        text = _strict(data, "utf-16", "utf-16")
        _refuse_mojibake(text)
        return text, "utf-16"
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        _refuse_mojibake(text)
        return text, "utf-8"
    text = _strict(data, "cp1252", "cp1252")
    _refuse_mojibake(text)
    _refuse_implausible(text)
    return text, "cp1252"


def _strict(data: bytes, codec: str, name: str) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise LoaderError.single(
            "unknown-encoding",
            f"Die Datei ist weder gültiges UTF-8 noch Windows-1252 (Byte {error.start + 1}, "
            f"erwartet: {name}). Bitte als UTF-8 speichern.",
            f"The file is neither valid UTF-8 nor Windows-1252 (byte {error.start + 1}, "
            f"expected: {name}). Please save it as UTF-8.",
            line=line) from None


def _refuse_mojibake(text: str) -> None:
    if "Ã" not in text and "Â" not in text and "â" not in text:
        return
    match = _MOJIBAKE.search(text)
    if match is None:
        return
    line = text.count("\n", 0, match.start()) + 1
    raise LoaderError.single(
        "mojibake",
        f"Die Datei enthält falsch kodierte Umlaute („{match.group()}“ statt ä/ö/ü …): sie wurde "
        "schon einmal mit falscher Kodierung gespeichert. Bitte die Originaldatei als UTF-8 speichern.",
        f"The file contains garbled characters ('{match.group()}' instead of ä/ö/ü …): it was saved "
        "with the wrong encoding before. Please save the original file as UTF-8.",
        line=line, value=match.group())


def _refuse_implausible(text: str) -> None:
    """Windows-1252 decodes almost any bytes: check the result reads like German text."""
    unusual = _UNUSUAL.findall(text)
    if not unusual:
        return
    non_ascii = len(text.encode("utf-8")) - len(text)
    has_control = any(ord(character) < 32 or 0x7F <= ord(character) <= 0x9F for character in unusual)
    if has_control or len(unusual) > 0.2 * max(non_ascii, 1):
        position = text.index(unusual[0])
        raise LoaderError.single(
            "unknown-encoding",
            "Die Kodierung der Datei ist unbekannt (weder UTF-8 noch Windows-1252). "
            "Bitte als UTF-8 speichern.",
            "The file's encoding is unknown (neither UTF-8 nor Windows-1252). Please save it as UTF-8.",
            line=text.count("\n", 0, position) + 1, value=repr(unusual[0]))
