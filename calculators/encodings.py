"""Orders files as people save them: UTF-8 with or without a BOM, UTF-16, or GB18030/GBK (the default of
Excel's CSV export in a Chinese locale), told apart by their bytes and read, with the encoding named."""

from __future__ import annotations

from codecs import BOM_UTF8, BOM_UTF16_BE, BOM_UTF16_LE

from .inputs import InputError, Problem

__all__ = ["decode_csv", "UTF8", "UTF8_BOM", "UTF16", "GB18030"]

# the names shown to people (the same in every language: they are the encodings' own names)
UTF8, UTF8_BOM, UTF16, GB18030 = "UTF-8", "UTF-8 (BOM)", "UTF-16", "GB18030/GBK"


def _utf16_without_bom(data: bytes) -> str | None:
    """"le" or "be" for UTF-16 text without a BOM (ASCII text has a zero byte beside each character),
    else None."""
    sample = data[:4096]
    if len(sample) < 4 or len(sample) % 2:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    half = len(sample) // 2
    if odd > half * 0.4 and even == 0:
        return "le"
    if even > half * 0.4 and odd == 0:
        return "be"
    return None


def decode_csv(data: bytes) -> tuple[str, str]:
    """The text of an orders file and the encoding it was read in; InputError when it is none of them
    (naming the first line that cannot be read as UTF-8)."""
    if data.startswith(BOM_UTF8):
        return _strict(data[3:], "utf-8", data), UTF8_BOM
    if data.startswith((BOM_UTF16_LE, BOM_UTF16_BE)):
        return _strict(data, "utf-16", data), UTF16
    order = _utf16_without_bom(data)
    if order is not None:
        return _strict(data, f"utf-16-{order}", data), UTF16
    try:
        return data.decode("utf-8"), UTF8
    except UnicodeDecodeError as error:
        utf8_error = error
    try:
        return data.decode("gb18030"), GB18030
    except UnicodeDecodeError:
        line = data[: utf8_error.start].count(b"\n") + 1
        raise InputError([Problem("csv", "encoding_unknown", line=line)]) from None


def _strict(body: bytes, codec: str, data: bytes) -> str:
    try:
        return body.decode(codec)
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise InputError([Problem("csv", "encoding_unknown", line=line)]) from None
