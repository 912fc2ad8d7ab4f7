"""The command line page's sample output is what the command prints for the same answers.

tools/site_hooks/docs_tables.py fills `<!-- autossl-check: cli-output -->` from SAMPLE_ANSWERS
through the checker's plan, evaluation and text renderer, without a network. Here the same
answers are served by two loopback DoH resolvers and the real command is run against them: its
output, with the loopback resolvers renamed to the sample's public ones, must equal the page.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from autossl_check import engine

from tests.checker.test_cli import cli
from tests.support.doh_resolver import DohResolver

from .test_docs_match_checker import DOCS, LANGS, docs_tables

SAMPLE = docs_tables


def sample_zones() -> dict[str, Any]:
    """SAMPLE_ANSWERS as zone data: the same addresses, TTLs, NXDOMAIN and SERVFAIL."""
    records: dict[str, Any] = {}
    servfail: dict[str, Any] = {}
    request = engine.build_request(SAMPLE.SAMPLE_DOMAIN, servers=[SAMPLE.SAMPLE_SERVER])
    for planned in engine.plan(request):
        rcode, a, aaaa = SAMPLE.SAMPLE_ANSWERS.get(
            planned.name, ("NOERROR", (SAMPLE.SAMPLE_SERVER,), ())
        )
        owner = planned.name + "."
        if rcode == "SERVFAIL":
            servfail[owner] = SAMPLE.BOGUS.code
        elif rcode == "NOERROR":
            entry: dict[str, Any] = {"ttl": SAMPLE.SAMPLE_TTL}
            if a:
                entry["A"] = list(a)
            if aaaa:
                entry["AAAA"] = list(aaaa)
            records[owner] = entry
    return {"ttl": SAMPLE.SAMPLE_NEGATIVE_TTL, "records": records, "servfail": servfail}


@pytest.mark.parametrize("lang", LANGS)
def test_the_page_sample_is_what_the_command_prints(
    lang: str, doh_resolver_factory: Callable[..., DohResolver]
) -> None:
    first = doh_resolver_factory(zones=sample_zones())
    second = doh_resolver_factory(zones=sample_zones())
    run = cli(
        SAMPLE.SAMPLE_DOMAIN,
        "--server",
        SAMPLE.SAMPLE_SERVER,
        "--resolver",
        first.url,
        "--resolver",
        second.url,
        "--lang",
        lang,
    )
    assert run.returncode == 1, run.stderr
    printed = run.stdout
    public = [resolver.url for resolver in SAMPLE.sample_result().resolvers]
    for loopback, shown in zip((first, second), SAMPLE.sample_result().resolvers, strict=True):
        label = loopback.url.split("//", 1)[1].split("/", 1)[0]
        printed = printed.replace(loopback.url, shown.url).replace(label, shown.label)
    assert all(url in printed for url in public)
    assert SAMPLE.cli_output(lang) == f"```text\n{printed.rstrip()}\n```"


@pytest.mark.parametrize("lang", LANGS)
def test_the_page_shows_the_generated_sample_and_no_typed_one(lang: str) -> None:
    raw = (DOCS / lang / "cli.md").read_text(encoding="utf-8")
    assert raw.count("<!-- autossl-check: cli-output -->") == 1
    assert "AutoSSL DNS" not in raw.split("<!-- autossl-check: cli-output -->")[0].split("```")[-1]
    filled = docs_tables.fill_tables(raw, lang)
    assert SAMPLE.cli_output(lang) in filled
    codes = {code for row in SAMPLE.sample_result().rows for code in row.codes}
    for code in ("NXDOMAIN", "NO_ADDRESS", "ELSEWHERE", "PARTIAL", "AAAA_ELSEWHERE", "SERVFAIL"):
        assert code in codes
        assert code in SAMPLE.cli_output(lang)
