"""`autossl-check --http` (and `--docroot`) through the whole command line, in a subprocess:
names resolved by a loopback DoH resolver to 127.0.0.1, answered by a loopback web server whose
behaviour follows the Host header; and BEHIND_PROXY's verdict and exit status."""

from __future__ import annotations

import json
import subprocess
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pytest
from autossl_check import texts

from tests.support.doh_resolver import PROXIED_ZONES, DohResolver

from .test_cli import cli as plain_cli

# The probe connects to port 80 as the CA does; a test cannot own port 80, so the child maps the
# probe's ports 80 and 443 to the loopback server's (the redirect rules still judge the URL's).
PORT_MAPPED_CLI = """
import functools, sys
import autossl_check.http_probe as probe
port = int(sys.argv.pop(1))
probe.ProbeSettings = functools.partial(probe.ProbeSettings, port_map={80: port, 443: port})
from autossl_check.cli import main
sys.exit(main(sys.argv[1:]))
"""
ZONES = {
    "ttl": 300,
    "records": {
        "probe.example.": {"A": ["127.0.0.1"]},
        "*.probe.example.": {"A": ["127.0.0.1"]},
    },
}
NAMES = ["probe.example", "www.probe.example", "mail.probe.example"]


class WebServer(BaseHTTPRequestHandler):
    """404 for a missing file, as a plain web server; `forbidden.` names get 403, `moved.` a
    redirect to another port; with a document root, its files are served."""

    docroot: Path | None = None
    seen: ClassVar[list[tuple[str, str, str]]] = []

    def do_GET(self) -> None:
        host = self.headers.get("Host", "")
        self.seen.append((self.command, host, self.path))
        if host.startswith("forbidden."):
            self.answer(403, b"forbidden")
        elif host.startswith("moved."):
            self.send_response(301)
            self.send_header("Location", f"http://{host}:8080{self.path}")
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif self.docroot is not None and (self.docroot / self.path.lstrip("/")).is_file():
            self.answer(200, (self.docroot / self.path.lstrip("/")).read_bytes())
        else:
            self.answer(404, b"not found")

    def answer(self, status: int, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def web() -> Iterator[type[WebServer]]:
    handler = type("Handler", (WebServer,), {"seen": [], "docroot": None})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    handler.port = server.server_address[1]  # type: ignore[attr-defined]
    yield handler
    server.shutdown()
    server.server_close()


@pytest.fixture
def resolver(doh_resolver_factory: Callable[..., DohResolver]) -> DohResolver:
    return doh_resolver_factory(zones=ZONES)


def cli(web: type[WebServer], *args: str) -> subprocess.CompletedProcess[str]:
    return plain_cli(*args, start=("-c", PORT_MAPPED_CLI, str(web.port)))  # type: ignore[attr-defined]


def probe_args(resolver: DohResolver, *more: str) -> list[str]:
    return [
        "probe.example",
        "--server",
        "127.0.0.1",
        "--resolver",
        resolver.url,
        "--no-service-subdomains",
        "--http",
        *more,
    ]


def test_a_404_from_the_same_server_is_ok_in_json(
    web: type[WebServer], resolver: DohResolver
) -> None:
    run = cli(web, *probe_args(resolver, "--json"))
    assert run.returncode == 0, run.stderr
    document = json.loads(run.stdout)
    assert document["schema"] == 1
    assert document["verdict"] == "ok"
    probe = document["http"]
    assert [entry["name"] for entry in probe["names"]] == NAMES
    assert all(entry["ok"] and entry["findings"] == [] for entry in probe["names"])
    assert probe["path"].startswith("/.well-known/acme-challenge/")
    # One request per name: its address is the server's, so there is nothing to compare with.
    hosts = sorted(host for _method, host, path in web.seen if path == probe["path"])
    assert hosts == sorted(NAMES)
    assert {method for method, _host, _path in web.seen} == {"GET"}


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_a_403_is_action_needed_in_text_and_markdown(
    web: type[WebServer], resolver: DohResolver, lang: str
) -> None:
    args = probe_args(resolver, "--subdomain", "forbidden", "--lang", lang)
    text = cli(web, *args)
    assert text.returncode == 1, text.stderr
    assert texts.probe_text("label", "heading", lang) in text.stdout
    assert "forbidden.probe.example" in text.stdout
    assert "HTTP_FORBIDDEN" in text.stdout
    assert texts.probe_text("advice", "HTTP_FORBIDDEN", lang) in text.stdout
    # DNS was fine: the probe's finding turned the verdict, said last.
    assert text.stdout.rstrip().endswith(texts.label("verdict.action_needed", lang))

    markdown = cli(web, *args, "--markdown")
    assert markdown.returncode == 1, markdown.stderr
    assert f"### {texts.probe_text('label', 'heading', lang)}" in markdown.stdout
    assert "`HTTP_FORBIDDEN`" in markdown.stdout


def test_a_redirect_to_another_port_is_refused_and_counted(
    web: type[WebServer], resolver: DohResolver
) -> None:
    run = cli(web, *probe_args(resolver, "--subdomain", "moved", "--json"))
    assert run.returncode == 1, run.stderr
    document = json.loads(run.stdout)
    assert document["verdict"] == "action_needed"
    moved = {entry["name"]: entry for entry in document["http"]["names"]}["moved.probe.example"]
    assert [finding["code"] for finding in moved["findings"]] == ["HTTP_BAD_REDIRECT"]
    assert moved["findings"][0]["severity"] == "problem"
    assert moved["exchanges"][0]["refusal"] == "port"
    # The DNS part is schema 1 as before: the name itself is fine there.
    assert document["exclude"] == []


def test_docroot_writes_fetches_and_deletes_the_file(
    web: type[WebServer], resolver: DohResolver, tmp_path: Path
) -> None:
    web.docroot = tmp_path
    run = cli(web, *probe_args(resolver, "--docroot", str(tmp_path), "--json"))
    assert run.returncode == 0, run.stderr
    probe = json.loads(run.stdout)["http"]
    assert probe["docroot"] == str(tmp_path)
    for entry in probe["names"]:
        assert [exchange["body_matches"] for exchange in entry["exchanges"]] == [True]
    assert list(tmp_path.iterdir()) == []  # the file and the directories made for it are gone


def test_docroot_without_http_implies_it_and_a_wrong_one_fails_the_file_check(
    web: type[WebServer], resolver: DohResolver, tmp_path: Path
) -> None:
    args = probe_args(resolver, "--docroot", str(tmp_path), "--json")
    args.remove("--http")
    run = cli(web, *args)  # the web server does not serve tmp_path: a 404 for the file
    assert run.returncode == 1, run.stderr
    codes = {f["code"] for e in json.loads(run.stdout)["http"]["names"] for f in e["findings"]}
    assert codes == {"HTTP_FILE_MISMATCH"}


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_a_docroot_that_is_not_a_directory_is_a_usage_error(
    web: type[WebServer], resolver: DohResolver, tmp_path: Path, lang: str
) -> None:
    missing = tmp_path / "nowhere"
    run = cli(web, *probe_args(resolver, "--docroot", str(missing), "--lang", lang))
    assert run.returncode == 2
    assert run.stdout == ""
    expected = texts.label(
        "cli.docroot_missing", lang, path=str(missing), error="FileNotFoundError"
    )
    assert run.stderr == f"autossl-check: {expected}\n"


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_behind_proxy_is_check_needed_with_exit_status_4(
    doh_resolver_factory: Callable[..., DohResolver], lang: str
) -> None:
    resolver = doh_resolver_factory(zones=PROXIED_ZONES)
    base = ["proxied.example", "--server", "203.0.113.10", "--resolver", resolver.url]
    text = plain_cli(*base, "--lang", lang)
    assert text.returncode == 4, text.stderr
    assert texts.label("verdict.check_needed", lang) in text.stdout
    assert texts.advice_text("check_proxy", lang) in text.stdout
    assert "BEHIND_PROXY: " in text.stdout

    run = plain_cli(*base, "--json")
    assert run.returncode == 4, run.stderr
    document = json.loads(run.stdout)
    assert document["verdict"] == "check_needed"
    assert document["exclude"] == []
    www = {entry["name"]: entry for entry in document["names"]}["www.proxied.example"]
    assert www["codes"] == ["BEHIND_PROXY"]
    assert www["ok"] is False


def test_another_web_server_is_a_check_and_a_dns_problem_still_comes_first(
    web: type[WebServer], doh_resolver_factory: Callable[..., DohResolver]
) -> None:
    """The name resolves to 127.0.0.2, where another web server answers on the same port."""
    other = type("Other", (WebServer,), {"seen": [], "server_version": "OtherServer/1.0"})
    server = ThreadingHTTPServer(("127.0.0.2", web.port), other)  # type: ignore[attr-defined]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    zones = {"records": {"probe.example.": {"A": ["127.0.0.2"]}}}
    resolver = doh_resolver_factory(zones=zones)
    try:
        run = cli(web, *probe_args(resolver, "--json"))
    finally:
        server.shutdown()
        server.server_close()
    assert run.returncode == 1, run.stderr
    document = json.loads(run.stdout)
    assert document["verdict"] == "action_needed"
    assert document["http"]["verdict"] == "check_needed"
    apex = {entry["name"]: entry for entry in document["http"]["names"]}["probe.example"]
    assert [(f["code"], f["severity"]) for f in apex["findings"]] == [
        ("HTTP_OTHER_SERVER", "check")
    ]
    # DNS says ELSEWHERE for it, a certain failure: it outranks the probe's check.
    names = {entry["name"]: entry for entry in document["names"]}
    assert names["probe.example"]["codes"] == ["ELSEWHERE"]


# mail. has no record at all: NXDOMAIN, with the zone's SOA, so the records name their zone.
ONE_NAME_MISSING = {
    "ttl": 300,
    "records": {
        "probe.example.": {"A": ["127.0.0.1"]},
        "www.probe.example.": {"A": ["127.0.0.1"]},
    },
}


def _records_part(output: str, start: str, end: str) -> str:
    """From the records block's title to the probe's heading (or the end)."""
    assert start in output, output
    return output[output.index(start) :].split(end, 1)[0].rstrip()


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_http_keeps_the_records_to_enter_exactly(
    web: type[WebServer], doh_resolver_factory: Callable[..., DohResolver], lang: str
) -> None:
    """--http adds the probe's section; the records block stays what the check alone prints."""
    args = probe_args(doh_resolver_factory(zones=ONE_NAME_MISSING), "--lang", lang)
    without = [arg for arg in args if arg != "--http"]
    title = texts.after_fix_text("records_title", lang)
    heading = texts.probe_text("label", "heading", lang)
    line = "mail.probe.example. 300 IN A 127.0.0.1"
    for extra, start, end in (
        ((), title, heading),
        (("--markdown",), f"### {title}", f"### {heading}"),
    ):
        probed, plain = cli(web, *args, *extra), plain_cli(*without, *extra)
        assert probed.returncode == plain.returncode == 1, probed.stderr + plain.stderr
        assert heading in probed.stdout
        assert heading not in plain.stdout
        block = _records_part(plain.stdout, start, end)
        assert line in block
        assert _records_part(probed.stdout, start, end) == block

    probed_json = json.loads(cli(web, *args, "--json").stdout)
    plain_json = json.loads(plain_cli(*without, "--json").stdout)
    assert "http" in probed_json
    assert "http" not in plain_json
    assert [entry["name"] for entry in probed_json["records"]] == ["mail.probe.example"]
    assert probed_json["records"] == plain_json["records"]
    assert probed_json["records"][0]["steps"][0]["line"] == line
