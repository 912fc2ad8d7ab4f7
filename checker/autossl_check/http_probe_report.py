"""The HTTP probe's results as JSON, terminal text and Markdown.

JSON (`to_json`), additive: meant to sit under an `"http"` key of the check's schema-1 object,
which a reader that does not know it ignores. Keys may be added later, never removed or changed:

    {
      "provider": "letsencrypt" | "sectigo",
      "path": "/.well-known/acme-challenge/<random>",   # the same for every name in one run
      "docroot": null | "<directory the test file was written under>",
      "user_agent": "autossl-check/<version> (HTTP validation probe)",
      "servers": ["<address>", ...],                   # compared with; may be empty
      "verdict": "ok" | "action_needed" | "check_needed",
      "names": [{
        "name": "<name>",
        "url": "http://<name><path>",
        "ok": true | false,                  # no finding of severity problem or check
        "validator_order": ["<address>", ...],  # first AAAA; first A after an IPv6 timeout
        "findings": [{"code": "HTTP_...", "severity": "problem" | "check" | "info",
                      "params": {"<key>": "<string>", ...}}],
        "exchanges": [EXCHANGE, ...],        # one per address of the name, AAAA first
        "reference": [EXCHANGE, ...]         # straight to each server address, no redirects
      }]
    }
    EXCHANGE = {
      "address": "<address connected to first>",
      "hops": [{"url", "address", "status": int, "server", "location", "body_sha256",
                "proxy_evidence", "elapsed": seconds}],
      "failure": null | "refused" | "connect_timeout" | "connect_error" | "no_answer" |
                 "closed" | "reset" | "protocol" | "other",
      "failure_url": "", "failure_detail": "",
      "refusal": null | "provider_forbids" | "scheme" | "port" | "loop" | "too_many" |
                 "malformed" | "unresolvable",
      "refused_location": "",
      "body_matches": null | true | false,   # with a docroot only
      "elapsed": seconds
    }

Everything from a web server or DNS (names, addresses, URLs, Location, Server, status codes) is
shown as plain text: control characters are escaped for the terminal; in Markdown it sits in code
spans (report.md_code), as the DNS report's, and our words around it have their marks escaped, so
nothing of it becomes markup or a link in a ticket.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from . import texts
from .http_probe import Exchange, GradedFinding, NameProbe, ProbeRun
from .model import CheckResult, RowStatus, Severity, Verdict, status_of, verdict_of_statuses
from .report import md_code

PROVIDER_NAMES = {"letsencrypt": "Let's Encrypt", "sectigo": "Sectigo"}


def probe_statuses(run: ProbeRun) -> list[RowStatus]:
    """Each probed name's status, from its findings' severities as a DNS row's is."""
    return [status_of(finding.severity for finding in probe.findings) for probe in run.names]


def probe_verdict(run: ProbeRun) -> str:
    """`ok`, `action_needed` or `check_needed` for the probe alone."""
    return str(verdict_of_statuses(probe_statuses(run)))


def combined_verdict(result: CheckResult, run: ProbeRun) -> Verdict:
    """The verdict of a check and its probe together: every DNS row and every probed name."""
    return verdict_of_statuses([*(row.status for row in result.rows), *probe_statuses(run)])


def with_probe(document: dict[str, Any], result: CheckResult, run: ProbeRun) -> dict[str, Any]:
    """Schema 1 with the probe: its results under `http`, its findings in `verdict`."""
    return {**document, "verdict": str(combined_verdict(result, run)), "http": to_json(run)}


def verdict_after(
    result: CheckResult, verdict: Verdict, lang: str, *, markdown: bool = False
) -> str:
    """The whole verdict after the probe's section, when the probe changed the check's own."""
    if verdict is result.verdict:
        return ""
    sentence = texts.verdict_text(verdict, lang)
    return f"\n**{_md(sentence)}**\n" if markdown else f"\n{sentence}\n"


def name_ok(probe: NameProbe) -> bool:
    return all(finding.severity is Severity.INFO for finding in probe.findings)


def _exchange_json(exchange: Exchange) -> dict[str, Any]:
    return {
        "address": exchange.address,
        "hops": [dataclasses.asdict(hop) for hop in exchange.hops],
        "failure": str(exchange.failure) if exchange.failure else None,
        "failure_url": exchange.failure_url,
        "failure_detail": exchange.failure_detail,
        "refusal": str(exchange.refusal) if exchange.refusal else None,
        "refused_location": exchange.refused_location,
        "body_matches": exchange.body_matches,
        "elapsed": exchange.elapsed,
    }


def to_json(run: ProbeRun) -> dict[str, Any]:
    return {
        "provider": run.provider,
        "path": run.path,
        "docroot": run.docroot or None,
        "user_agent": run.user_agent,
        "servers": list(run.servers),
        "verdict": probe_verdict(run),
        "names": [
            {
                "name": probe.name,
                "url": probe.url,
                "ok": name_ok(probe),
                "validator_order": list(probe.validator_order),
                "findings": [finding.as_json() for finding in probe.findings],
                "exchanges": [_exchange_json(e) for e in probe.exchanges],
                "reference": [_exchange_json(e) for e in probe.reference],
            }
            for probe in run.names
        ],
    }


def _plain(text: str) -> str:
    """Text from a web server or DNS, harmless on a terminal (no control characters)."""
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in text)


_MARKDOWN_MARKS = re.compile(r"([\\`*_\[\]<>#!~|{}()&])")


def _md(text: str) -> str:
    """Plain text for Markdown: every mark escaped, so nothing becomes markup or a link."""
    return _MARKDOWN_MARKS.sub(r"\\\1", _plain(text))


def answers(exchange: Exchange, lang: str) -> str:
    """`301 → 404`, with how it ended when it did not end with an answer."""
    return " → ".join(_answer_parts(exchange, lang))


def _answer_parts(exchange: Exchange, lang: str) -> list[str]:
    """The statuses (data), then our words for a refused redirect or a failure."""
    chain = [str(hop.status) for hop in exchange.hops]
    if exchange.refusal is not None:
        chain.append(
            f"({texts.probe_text('outcome', 'redirect_refused', lang)}: "
            f"{texts.probe_text('outcome', str(exchange.refusal), lang)})"
        )
    if exchange.failure is not None:
        chain.append(texts.probe_text("outcome", str(exchange.failure), lang))
    return chain


def _answers_md(exchange: Exchange, lang: str) -> str:
    parts = [_md(part) for part in _answer_parts(exchange, lang)[len(exchange.hops) :]]
    if exchange.hops:
        statuses = " → ".join(str(hop.status) for hop in exchange.hops)
        parts.insert(0, md_code(statuses, in_table=True))
    return " → ".join(parts)


# A finding's params that are our own keys or counts, not text from a web server or DNS.
_WORD_PARAMS = frozenset({"differs", "reason", "ipv4_fallback", "redirects"})
_HELD = "QzPROBEzQ"  # letters only: survives _md; no sentence contains it


def _finding_md(finding: GradedFinding, lang: str) -> str:
    """The finding's sentence for Markdown: our words escaped, each piece of data a code span."""
    held: list[str] = []

    def hold(value: str) -> str:
        held.append(value)
        return f"{_HELD}{len(held) - 1}{_HELD}"

    params = {k: v if k in _WORD_PARAMS else hold(v) for k, v in finding.params.items()}
    sentence = texts.probe_finding_text(dataclasses.replace(finding, params=params), lang)
    return re.sub(f"{_HELD}([0-9]+){_HELD}", lambda m: md_code(held[int(m[1])]), _md(sentence))


def _server_header(exchange: Exchange) -> str:
    return " → ".join(dict.fromkeys(hop.server for hop in exchange.hops if hop.server))


def _codes(run: ProbeRun) -> list[str]:
    return list(dict.fromkeys(f.code for probe in run.names for f in probe.findings))


def _header_lines(run: ProbeRun, lang: str) -> list[tuple[str, str]]:
    lines = [
        (
            texts.probe_text("label", "provider", lang),
            PROVIDER_NAMES.get(run.provider, run.provider),
        ),
        (texts.probe_text("label", "path", lang), run.path),
    ]
    if run.docroot:
        lines.append((texts.probe_text("label", "docroot", lang), run.docroot))
    if run.servers:
        lines.append((texts.probe_text("label", "servers", lang), ", ".join(run.servers)))
    lines.append((texts.probe_text("label", "user_agent", lang), run.user_agent))
    return lines


def _verdict_text(run: ProbeRun, lang: str) -> str:
    return texts.probe_text("verdict", probe_verdict(run), lang)


def to_text(run: ProbeRun, lang: str = "en") -> str:
    out = [f"{texts.probe_text('label', 'heading', lang)}"]
    out += [f"  {key}: {_plain(value)}" for key, value in _header_lines(run, lang)]
    out.append(f"  {_verdict_text(run, lang)}")
    for probe in run.names:
        out += ["", _plain(probe.name)]
        if not probe.exchanges:
            out.append(f"  {texts.probe_text('label', 'no_address', lang)}")
        for exchange in probe.exchanges:
            server = _server_header(exchange)
            cells = [exchange.address, answers(exchange, lang), server, f"{exchange.elapsed:.2f} s"]
            out.append("  " + "  ".join(_plain(cell) for cell in cells if cell))
        if len(probe.validator_order) > 1:
            order = " → ".join(probe.validator_order)
            out.append(f"  {texts.probe_text('label', 'validator_order', lang)}: {order}")
        for finding in probe.findings:
            severity = texts.probe_text("severity", str(finding.severity), lang)
            out.append(
                f"  {finding.code} ({severity}): {_plain(texts.probe_finding_text(finding, lang))}"
            )
        if probe.exchanges and name_ok(probe):
            out.append(f"  {texts.probe_text('label', 'all_good', lang)}")
    codes = _codes(run)
    if codes:
        out.append("")
        for code in codes:
            out.append(f"{code}: {texts.probe_text('title', code, lang)}")
            out.append(f"  {texts.probe_text('advice', code, lang)}")
    out += ["", texts.probe_text("label", "single_vantage", lang)]
    return "\n".join(out) + "\n"


def to_markdown(run: ProbeRun, lang: str = "en", *, docs_base: str = "") -> str:
    """A block for a support ticket; `docs_base` (the site's URL) turns codes into links."""
    out = [f"### {texts.probe_text('label', 'heading', lang)}", ""]
    provider, *data_lines = _header_lines(run, lang)
    out.append(f"- **{provider[0]}**: {_md(provider[1])}")
    out += [f"- **{key}**: {md_code(value)}" for key, value in data_lines]
    out += [f"- **{_md(_verdict_text(run, lang))}**", ""]
    head = ("col.address", "col.answers", "col.server", "col.time")
    for probe in run.names:
        out += [f"#### {md_code(probe.name)}", ""]
        if not probe.exchanges:
            out += [_md(texts.probe_text("label", "no_address", lang)), ""]
            continue
        out.append("| " + " | ".join(texts.probe_text("label", key, lang) for key in head) + " |")
        out.append("|---|---|---|---|")
        for exchange in probe.exchanges:
            cells = (
                md_code(exchange.address, in_table=True),
                _answers_md(exchange, lang),
                md_code(_server_header(exchange), in_table=True) or "-",
                f"{exchange.elapsed:.2f} s",
            )
            out.append("| " + " | ".join(cells) + " |")
        out.append("")
        for finding in probe.findings:
            severity = texts.probe_text("severity", str(finding.severity), lang)
            out.append(f"- `{finding.code}` ({severity}): {_finding_md(finding, lang)}")
        if probe.findings:
            out.append("")
    codes = _codes(run)
    if codes and docs_base:
        base = docs_base.rstrip("/") + ("/" if lang.startswith("ja") else "/en/")
        links = ", ".join(f"[{code}]({base}{texts.probe_docs_anchor(code)})" for code in codes)
        out += [f"{texts.probe_text('label', 'docs', lang)}: {links}", ""]
    for code in codes:
        out.append(f"- **{code}** — {_md(texts.probe_text('advice', code, lang))}")
    out += ["", _md(texts.probe_text("label", "single_vantage", lang))]
    return "\n".join(out) + "\n"
