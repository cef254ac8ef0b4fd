"""Chinese text files as offices produce them: UTF-8 (with or without BOM), GBK/GB18030 (what
Chinese Windows tools and older Excel write), or Notepad's "Unicode" (UTF-16 with BOM)."""

from __future__ import annotations


def decode_text(data: bytes) -> str:
    """Decode `data`; raises UnicodeDecodeError when it is none of these encodings."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("gb18030")  # GBK's superset
