"""The CLI against real DNS software: every DoH endpoint, a proxy, and resolvers that disagree.

Each check is compared with what the zones imply (zones.EXPECTED) and with `dig` asking the
recursor behind the endpoint over plain DNS.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.interop import zones
from tests.interop.conftest import (
    CliRun,
    Dnsdist,
    LocalCa,
    Proxy,
    Recursor,
    dig,
    free_port,
    run_cli,
)

SERVER_ARGS = ("--server", zones.SERVER)
ENDPOINTS = ("unbound", "knot-resolver", "dnsdist-http", "dnsdist-https")


@pytest.fixture(scope="session")
def endpoints(
    unbound: Recursor, knot_resolver: Recursor, dnsdist: Dnsdist
) -> dict[str, tuple[str, Recursor]]:
    """endpoint name -> (DoH URL, the recursor whose answers it gives)."""
    return {
        "unbound": (unbound.doh_url, unbound),  # TLS, HTTP/2 only
        "knot-resolver": (knot_resolver.doh_url, knot_resolver),  # TLS, HTTP/2 only
        "dnsdist-http": (dnsdist.plain_url, unbound),  # plain http: HTTP/1.1
        "dnsdist-https": (dnsdist.tls_url, unbound),  # TLS: HTTP/2 offered by ALPN
    }


def expected_from_dig(recursor: Recursor, name: str) -> list[str]:
    """The codes `dig`'s answers imply for one name, in the checker's terms (A lookups)."""
    answer = dig(recursor, name, "A")
    if answer.status == "SERVFAIL":
        return ["SERVFAIL"]
    addresses = [data for _owner, kind, data in answer.records if kind == "A"]
    if not addresses:
        return ["NO_ADDRESS"]
    return [] if set(addresses) == {zones.SERVER} else ["ELSEWHERE"]


def codes_without_caa(codes: list[str]) -> list[str]:
    return [code for code in codes if code != "CAA_FORBIDS"]


DEAD_TIMEOUT = "6"


@pytest.fixture(scope="session")
def checks(
    endpoints: dict[str, tuple[str, Recursor]], test_ca: LocalCa
) -> dict[tuple[str, str], CliRun]:
    """(endpoint, domain) -> the CLI's check, every one run at once (they mostly wait)."""
    wanted = [(endpoint, domain) for endpoint in ENDPOINTS for domain in zones.EXPECTED]
    wanted += [("unbound", zones.DEAD), ("knot-resolver", zones.DEAD)]

    def one(key: tuple[str, str]) -> CliRun:
        endpoint, domain = key
        extra = ("--timeout", DEAD_TIMEOUT) if domain == zones.DEAD else ()
        return run_cli(domain, [endpoints[endpoint][0]], *SERVER_ARGS, *extra, ca=test_ca)

    with ThreadPoolExecutor(max_workers=4) as pool:
        return dict(zip(wanted, pool.map(one, wanted), strict=True))


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize("domain", sorted(zones.EXPECTED))
def test_every_endpoint_gets_the_verdict_the_zones_imply(
    endpoints: dict[str, tuple[str, Recursor]],
    checks: dict[tuple[str, str], CliRun],
    test_ca: LocalCa,
    endpoint: str,
    domain: str,
) -> None:
    url, recursor = endpoints[endpoint]
    run = checks[endpoint, domain]
    verdict, codes = zones.EXPECTED[domain]
    if domain == zones.MOVING and endpoint == "knot-resolver":
        verdict, codes = zones.EXPECTED_MOVED
    if run.codes() != codes:  # the JSON has no reasons: show the words of a second run
        again = run_cli(domain, [url], *SERVER_ARGS, "--lang", "en", ca=test_ca, json_output=False)
        pytest.fail(f"{run.codes()} != {codes}\nrun again:\n{again.stdout}")
    assert run.report["verdict"] == verdict
    assert run.status == {"ok": 0, "action_needed": 1}[verdict]
    for name, name_codes in run.codes().items():
        assert codes_without_caa(name_codes) == expected_from_dig(recursor, name), name


@pytest.mark.parametrize("resolver", ["unbound", "knot-resolver"])
def test_dnssec_bogus_is_servfail_with_its_extended_error(
    endpoints: dict[str, tuple[str, Recursor]], test_ca: LocalCa, resolver: str
) -> None:
    url, recursor = endpoints[resolver]
    name = f"www.{zones.SIGNED}"
    run = run_cli(name, [url], *SERVER_ARGS, "--lang", "en", ca=test_ca, json_output=False)
    assert run.status == 1
    answer = dig(recursor, name, "A")
    assert answer.status == "SERVFAIL"
    assert answer.ede, f"{resolver} sent no EDE to dig"
    # The EDE code dig saw is in what the reader reads (DNSSEC Bogus: 6, or a close relative).
    assert any(f"EDE {code}" in run.stdout for code in answer.ede), run.stdout
    assert dig(recursor, zones.SIGNED, "A").status == "NOERROR"  # the rest of the zone is fine


def test_resolvers_that_disagree(
    endpoints: dict[str, tuple[str, Recursor]], test_ca: LocalCa
) -> None:
    # Knot Resolver asks the second authority, which moved mail.moving.test elsewhere.
    unbound_url, unbound = endpoints["unbound"]
    knot_url, knot = endpoints["knot-resolver"]
    mail = f"mail.{zones.MOVING}"
    assert dig(unbound, mail, "A").records[0][2] == zones.SERVER
    assert dig(knot, mail, "A").records[0][2] == zones.ELSEWHERE
    alone = run_cli(zones.MOVING, [knot_url], *SERVER_ARGS, ca=test_ca)
    assert alone.codes()[mail] == ["ELSEWHERE"]
    both = run_cli(zones.MOVING, [unbound_url, knot_url], *SERVER_ARGS, ca=test_ca)
    assert both.report["verdict"] == "action_needed"
    # One says the server, one says elsewhere: partly elsewhere, and the resolvers disagree.
    assert both.codes() == {
        zones.MOVING: [],
        f"www.{zones.MOVING}": [],
        mail: ["PARTIAL", "RESOLVERS_DISAGREE"],
    }


@pytest.mark.parametrize("resolver", ["unbound", "knot-resolver"])
def test_a_dead_delegation_fails_plainly_within_the_time_limit(
    checks: dict[tuple[str, str], CliRun], resolver: str
) -> None:
    run = checks[resolver, zones.DEAD]
    codes = run.codes()
    assert set(codes) == {zones.DEAD, f"www.{zones.DEAD}", f"mail.{zones.DEAD}"}
    for name_codes in codes.values():
        # The resolver answers SERVFAIL, or (Unbound past 1.9 s) nothing at all.
        assert name_codes, codes
        assert set(name_codes) <= {"SERVFAIL", "LOOKUP_FAILED"}, codes
    assert run.report["verdict"] in ("action_needed", "inconclusive")


def test_the_test_ca_is_needed(endpoints: dict[str, tuple[str, Recursor]]) -> None:
    # Without SSL_CERT_FILE the system store does not know the test CA: a plain TLS failure.
    url, _recursor = endpoints["knot-resolver"]
    run = run_cli(f"ok.{zones.INTEROP}", [url], *SERVER_ARGS, "--lang", "en", json_output=False)
    assert run.status == 3
    assert "TLS certificate" in run.stdout


@pytest.mark.parametrize("how", ["HTTPS_PROXY", "https_proxy", "ALL_PROXY", "--proxy"])
def test_through_the_proxy(
    endpoints: dict[str, tuple[str, Recursor]], test_ca: LocalCa, tinyproxy: Proxy, how: str
) -> None:
    url, _recursor = endpoints["knot-resolver"]
    port = url.split(":")[2].split("/")[0]
    before = len(tinyproxy.connects())
    args: tuple[str, ...] = ("--proxy", tinyproxy.url) if how == "--proxy" else ()
    env = {} if how == "--proxy" else {how: tinyproxy.url}
    run = run_cli(f"ok.{zones.INTEROP}", [url], *SERVER_ARGS, *args, ca=test_ca, env=env)
    assert run.report["verdict"] == "ok", run.stderr
    tunnels = tinyproxy.connects()[before:]
    # One tunnel carries the whole check over HTTP/2.
    assert tunnels == [f"127.0.0.1:{port}"]


def test_no_proxy_goes_direct(
    endpoints: dict[str, tuple[str, Recursor]], test_ca: LocalCa, tinyproxy: Proxy
) -> None:
    url, _recursor = endpoints["unbound"]
    before = len(tinyproxy.connects())
    env = {"HTTPS_PROXY": tinyproxy.url, "NO_PROXY": "127.0.0.1"}
    run = run_cli(f"ok.{zones.INTEROP}", [url], *SERVER_ARGS, ca=test_ca, env=env)
    assert run.report["verdict"] == "ok"
    assert tinyproxy.connects()[before:] == []


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_a_dead_proxy_is_named_as_the_failure(
    endpoints: dict[str, tuple[str, Recursor]], test_ca: LocalCa, lang: str
) -> None:
    url, _recursor = endpoints["unbound"]
    dead = f"http://127.0.0.1:{free_port()}"
    env = {"HTTPS_PROXY": dead}
    run = run_cli(
        f"ok.{zones.INTEROP}",
        [url],
        *SERVER_ARGS,
        "--lang",
        lang,
        ca=test_ca,
        env=env,
        json_output=False,
    )
    assert run.status == 3
    words = {"en": "through the proxy", "ja": "プロキシ経由で"}[lang]
    assert words in run.stdout
    assert dead in run.stdout


def test_a_proxy_that_refuses_the_tunnel_is_named_as_the_failure(
    test_ca: LocalCa, tinyproxy: Proxy
) -> None:
    # tinyproxy cannot connect to a closed port: it answers the CONNECT with an error status.
    closed = f"https://127.0.0.1:{free_port()}/dns-query"
    run = run_cli(
        f"ok.{zones.INTEROP}",
        [closed],
        *SERVER_ARGS,
        "--lang",
        "en",
        "--proxy",
        tinyproxy.url,
        ca=test_ca,
        json_output=False,
    )
    assert run.status == 3
    assert f"through the proxy ({tinyproxy.url} answered" in run.stdout
