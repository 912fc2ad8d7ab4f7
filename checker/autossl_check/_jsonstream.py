"""Streaming helpers shared by the AutoSSL log and domain list readers (stdlib only).

`texts` turns chunks of bytes or text into text; `array_objects` yields the objects of one array
inside a JSON document (e.g. `data.payload`) while holding only one object in memory, so a
whole-server answer of hundreds of megabytes reads in bounded memory.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Iterable, Iterator

Chunk = bytes | bytearray | memoryview | str

MAX_HEAD_CHARS = 1 << 20  # how far into a document the array may start
MAX_OBJECT_CHARS = 1 << 20  # one object of the array
_DECODER = json.JSONDecoder()


class StreamFailure(Exception):
    """The document cannot be read on; `key` names the reason for texts.LOG_ERRORS."""

    def __init__(self, key: str, **params: str) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


def texts(chunks: Iterable[Chunk]) -> Iterator[str]:
    """Decode byte chunks as UTF-8 (bad bytes become U+FFFD), pass text through, drop a BOM."""
    decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
    started = False
    for chunk in chunks:
        if isinstance(chunk, str):
            text = chunk
        elif isinstance(chunk, bytes | bytearray | memoryview):
            text = decoder.decode(bytes(chunk))
        else:
            continue
        if not started and text:
            started = True
            text = text.removeprefix("\ufeff")
        if text:
            yield text
    tail = decoder.decode(b"", final=True)
    if tail:
        yield tail


def api_failure(document_text: str) -> StreamFailure:
    """Why a (short) JSON document holds no array to read: cPanel's own error, a cut-off
    document, or the answer of another API."""
    try:
        document = json.loads(document_text)
    except json.JSONDecodeError as error:
        cut = error.pos >= len(document_text.rstrip()) - 1 or error.msg.startswith("Unterminated")
        return StreamFailure("json_truncated" if cut else "json_invalid")
    if isinstance(document, dict):
        metadata = document.get("metadata")
        if isinstance(metadata, dict) and metadata.get("result") in (0, "0"):
            reason = metadata.get("reason")
            return StreamFailure("api_error", reason=str(reason)[:300] if reason else "")
        result = document.get("result")
        if isinstance(result, dict) and result.get("status") in (0, "0"):
            errors = result.get("errors")
            shown = "; ".join(str(e) for e in errors) if isinstance(errors, list) else ""
            return StreamFailure("api_error", reason=shown[:300])
    return StreamFailure("json_other_api")


def array_objects(
    source: Iterator[str], key: re.Pattern[str], *, bare_array: bool = True
) -> Iterator[object]:
    """Each value of the first array whose key matches `key` (a pattern ending at its `[`).

    With `bare_array`, a document that is itself an array is read too. Raises StreamFailure.
    """
    buffer = ""
    position = -1
    for text in source:
        buffer += text
        found = key.search(buffer)
        if found:
            position = found.end()
            break
        if len(buffer) > MAX_HEAD_CHARS:
            raise StreamFailure("json_other_api")
    if position < 0:
        if bare_array and buffer.lstrip().startswith("["):
            position = buffer.index("[") + 1
        else:
            raise api_failure(buffer)
    prefix = buffer[: position - 1]
    exhausted = False
    while True:
        while position < len(buffer) and buffer[position] in " \t\r\n,":
            position += 1
        if position < len(buffer) and buffer[position] == "]":
            _check_end(prefix, buffer[position + 1 :], source)
            return
        if position >= len(buffer) and not exhausted:
            buffer, position = "", 0
            try:
                buffer = next(source)
            except StopIteration:
                exhausted = True
            continue
        try:
            value, end = _DECODER.raw_decode(buffer, position)
        except ValueError:
            if exhausted:
                raise StreamFailure("json_truncated") from None
            if len(buffer) - position > MAX_OBJECT_CHARS:
                raise StreamFailure("json_invalid") from None
            buffer, position = buffer[position:], 0
            try:
                buffer += next(source)
            except StopIteration:
                exhausted = True
            continue
        position = end
        if position > max(1 << 16, len(buffer) // 2):
            buffer, position = buffer[position:], 0
        yield value


def _check_end(prefix: str, tail: str, source: Iterator[str]) -> None:
    """After the array: the document must end properly (a cut-off answer says so)."""
    for text in source:
        tail += text
        if len(tail) > MAX_HEAD_CHARS:
            return  # a long tail after the array: nothing more to learn from it
    failure = api_failure(prefix + "[]" + tail)
    if failure.key != "json_other_api":
        raise failure
