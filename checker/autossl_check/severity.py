"""How sure a finding is, and the verdict and exit status that follow (proposed ADR: "check").

`error`: the CA's validation will fail for the name as things stand (the existing DNS codes).
`check`: it may pass or fail depending on something DNS cannot show (a proxy in front, a
different web server); the verdict is not `ok`, but it is not `action_needed` either.
`info`: worth saying, changes nothing.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field


class Severity(enum.StrEnum):
    ERROR = "error"
    CHECK = "check"
    INFO = "info"


@dataclass(frozen=True, slots=True)
class GradedFinding:
    """A stable code, how sure it is, and the facts a sentence is built from (never words)."""

    code: str
    severity: Severity
    params: Mapping[str, str] = field(default_factory=dict)

    def as_json(self) -> dict[str, object]:
        return {"code": self.code, "severity": str(self.severity), "params": dict(self.params)}


CHECK_NEEDED = "check_needed"
EXIT_CHECK_NEEDED = 4


def graded_verdict(base_verdict: str, severities: Iterable[Severity]) -> str:
    """The verdict once findings of `check` severity are counted.

    `base_verdict` is the engine's own (`ok`, `action_needed`, `inconclusive`). A certain failure
    or a failed lookup outranks a maybe: both ask for something to be done first (fix, or run
    again), and a rerun that settles the lookups still ends at `check_needed` if a check stays.
    """
    if base_verdict != "ok":
        return base_verdict
    seen = set(severities)
    if Severity.ERROR in seen:
        return "action_needed"
    return CHECK_NEEDED if Severity.CHECK in seen else "ok"


def excludable(severities: Iterable[Severity]) -> bool:
    """Whether a name belongs in the list to exclude: only a certain failure puts it there, since
    excluding a name that would have passed costs it its certificate."""
    return Severity.ERROR in set(severities)


EXIT_BY_GRADED_VERDICT: Mapping[str, int] = {
    "ok": 0,
    "action_needed": 1,
    "inconclusive": 3,
    CHECK_NEEDED: EXIT_CHECK_NEEDED,
}
