"""How an `issue` property value is read: Boulder's parser (Let's Encrypt) and RFC 8659 §4.2.

Pure string functions; caa.py decides what the parsed value means for a provider.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_WSP = " \t"  # Boulder trims only space and tab, like RFC 8659's WSP


@dataclass(frozen=True, slots=True)
class IssueValue:
    """An `issue` value as Boulder's `parseCAARecord` sees it.

    `issuer` is set even when the parameters do not parse, so a message can say which CA the
    unusable record was meant for; `error` names the first parameter that broke the grammar.
    """

    issuer: str
    params: tuple[tuple[str, str], ...] = ()
    error: str = ""  # "" when the value parses; else "no_equals", "tag_char" or "value_char"
    bad_part: str = ""  # the parameter (as written) that broke the grammar

    @property
    def parsed(self) -> bool:
        return not self.error


def _is_boulder_tag(tag: str) -> bool:
    # Boulder accepts ASCII letters and digits only (no hyphen, despite RFC 8659's grammar); an
    # empty tag passes its loop.
    return all(char.isascii() and char.isalnum() for char in tag)


def _is_boulder_value(value: str) -> bool:
    return all("\x21" <= char <= "\x7e" and char != ";" for char in value)


def parse_boulder(value: str) -> IssueValue:
    """Split like Boulder: on every `;`, each parameter `tag=value`, blanks trimmed at the ends."""
    issuer, *parameters = value.split(";")
    issuer = issuer.strip(_WSP)
    # "letsencrypt.org;" (one empty parameter list) is accepted; an empty part anywhere else is
    # not, so a trailing ";" after a parameter or ";;" breaks the record.
    if len(parameters) == 1 and not parameters[0].strip(_WSP):
        return IssueValue(issuer)
    found: list[tuple[str, str]] = []
    for part in parameters:
        tag, equals, raw = part.partition("=")
        if not equals:
            return IssueValue(issuer, error="no_equals", bad_part=part.strip(_WSP))
        tag = tag.strip(_WSP)
        if not _is_boulder_tag(tag):
            return IssueValue(issuer, error="tag_char", bad_part=part.strip(_WSP))
        # Only the first "=" splits, so "a=b" after it stays part of the value.
        raw = raw.strip(_WSP)
        if not _is_boulder_value(raw):
            return IssueValue(issuer, error="value_char", bad_part=part.strip(_WSP))
        found.append((tag, raw))
    return IssueValue(issuer, tuple(found))


# RFC 8659 §4.2 (with erratum 7139 naming parameter-tag): the whole value must match.
_LABEL = r"[A-Za-z0-9](?:-*[A-Za-z0-9])*"
_DOMAIN = rf"{_LABEL}(?:\.{_LABEL})*"
_PARAMETER = rf"{_LABEL}[ \t]*=[ \t]*[\x21-\x3a\x3c-\x7e]*"
_PARAMETERS = rf"{_PARAMETER}(?:[ \t]*;[ \t]*{_PARAMETER})*"
_ISSUE_VALUE = re.compile(
    rf"[ \t]*(?:(?P<issuer>{_DOMAIN})[ \t]*)?(?:;[ \t]*(?:{_PARAMETERS}[ \t]*)?)?",
    re.ASCII,
)


def rfc8659_issuer(value: str) -> str | None:
    """The issuer-domain-name ("" when none), or None when the value breaks RFC 8659's grammar."""
    match = _ISSUE_VALUE.fullmatch(value)
    if match is None:
        return None
    return match.group("issuer") or ""


def first_issuer_word(value: str) -> str:
    """What stands before the first `;`, trimmed: the CA a malformed value was meant for."""
    return value.split(";", 1)[0].strip(_WSP)
