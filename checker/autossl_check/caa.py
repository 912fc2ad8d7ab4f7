"""CAA (RFC 8659): which record set applies to a name, and whether it lets a provider's CA issue.

The relevant set is the first non-empty CAA answer found walking from the name up towards (not
including) the root; the resolver follows CNAMEs for each node. No CAA anywhere: any CA may issue.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .model import CaaRecord

PROVIDERS: dict[str, tuple[str, ...]] = {
    "letsencrypt": ("letsencrypt.org",),
    "sectigo": ("sectigo.com", "comodoca.com", "usertrust.com", "trust-provider.com", "comodo.com"),
}
PROVIDER_NAMES = {"letsencrypt": "Let's Encrypt", "sectigo": "Sectigo"}

# Tags a CA understands; an unknown tag with the critical flag set forbids issuance (RFC 8659 §4).
KNOWN_TAGS = frozenset({"issue", "issuewild", "iodef", "contactemail", "contactphone"})
CRITICAL_FLAG = 128


def caa_nodes(name: str) -> list[str]:
    """`www.example.com` → [www.example.com, example.com, com]: the nodes RFC 8659 may visit."""
    labels = name.split(".")
    return [".".join(labels[index:]) for index in range(len(labels))]


@dataclass(frozen=True, slots=True)
class CaaVerdict:
    allowed: bool
    node: str = ""  # where the relevant set was found ("" when no CAA applies)
    records: tuple[CaaRecord, ...] = ()
    reason: str = ""  # "not_listed", "forbids_all", "critical", "method"
    detail: str = ""


def judge_caa(node: str, records: Sequence[CaaRecord], provider: str) -> CaaVerdict:
    """Whether the CAA set found at `node` lets `provider` issue a (non-wildcard) certificate."""
    found = tuple(records)
    if not found:
        return CaaVerdict(True)
    for record in found:
        if record.flags & CRITICAL_FLAG and record.tag.lower() not in KNOWN_TAGS:
            return CaaVerdict(False, node, found, "critical", record.tag)
    issue = [record for record in found if record.tag.lower() == "issue"]
    if not issue:
        return CaaVerdict(True, node, found)
    issuers = PROVIDERS[provider]
    saw_empty = True
    method_limited = ""
    for record in issue:
        issuer, parameters = _split_issue_value(record.value)
        if issuer:
            saw_empty = False
        if issuer in issuers:
            methods = parameters.get("validationmethods")
            if (
                provider == "letsencrypt"
                and methods is not None
                and "http-01" not in {m.strip().lower() for m in methods.split(",")}
            ):
                # The CA is allowed, but not by HTTP validation, which is what AutoSSL uses.
                method_limited = methods
                continue
            return CaaVerdict(True, node, found)
    if method_limited:
        return CaaVerdict(False, node, found, "method", method_limited)
    if saw_empty:
        return CaaVerdict(False, node, found, "forbids_all")
    listed = ", ".join(sorted({_split_issue_value(r.value)[0] or ";" for r in issue}))
    return CaaVerdict(False, node, found, "not_listed", listed)


def _split_issue_value(value: str) -> tuple[str, dict[str, str]]:
    """`letsencrypt.org; validationmethods=dns-01` → ("letsencrypt.org", {...})."""
    issuer, _, rest = value.partition(";")
    parameters: dict[str, str] = {}
    for item in rest.split(";"):
        key, sep, val = item.strip().partition("=")
        if sep:
            parameters[key.strip().lower()] = val.strip()
    return issuer.strip().lower().rstrip("."), parameters
