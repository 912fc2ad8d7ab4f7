"""The page (Chromium, Pyodide) against real DoH servers a browser can use: TLS with CORS.

Knot Resolver's own DoH (HTTP/2 only) and dnsdist's TLS endpoint (which adds the CORS header)
must give the page the verdict and codes the CLI gets from the same endpoint. The page trusts
the servers' test certificate through Playwright's ignore_https_errors, as the HTTP/2 front's
browser test does.

Playwright's sync API leaves an event loop running that breaks asyncio.run() in later tests, so
`make test` runs this file in the browser run, beside tests/browser.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser.conftest import open_checker, site_dir, site_url  # noqa: F401
from tests.interop import zones
from tests.interop.conftest import Dnsdist, LocalCa, Recursor, run_cli
from tests.support.chromium import launched_chromium

DOMAINS = (f"caa.{zones.INTEROP}", zones.SIGNED)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """This module's own Chromium, closed when the module ends: only one Playwright session may
    run at a time, so `make test` runs this file before tests/browser, which opens its own."""
    with launched_chromium() as launched:
        yield launched


@pytest.fixture(scope="session")
def browser_endpoints(knot_resolver: Recursor, dnsdist: Dnsdist) -> dict[str, str]:
    return {"knot-resolver": knot_resolver.doh_url, "dnsdist-https": dnsdist.tls_url}


@pytest.mark.parametrize("domain", DOMAINS)
@pytest.mark.parametrize("endpoint", ["knot-resolver", "dnsdist-https"])
def test_the_page_and_the_cli_agree_on_a_real_doh_server(
    open_checker: Any,  # noqa: F811
    browser_endpoints: dict[str, str],
    test_ca: LocalCa,
    endpoint: str,
    domain: str,
) -> None:
    url = browser_endpoints[endpoint]
    expected = run_cli(domain, [url], "--server", zones.SERVER, ca=test_ca, service_subdomains=True)
    assert expected.report["verdict"] == "action_needed"

    page = open_checker(ignore_https_errors=True)
    page.open("en/checker/", [("domain", domain), ("server", zones.SERVER), ("resolver", url)])
    verdict = page.wait_verdict()
    rows = [(row["name"], row["codes"]) for row in page.rows()]
    assert verdict == expected.report["verdict"]
    assert rows == [(row["name"], " ".join(row["codes"])) for row in expected.report["names"]]
    assert page.csp_violations() == []
    assert any(request.startswith(url.split("/dns-query")[0]) for request in page.requests)
