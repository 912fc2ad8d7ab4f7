"""Real DNS software from Debian, started for the interop suite on loopback high ports.

What runs (session fixtures, each with its own temporary state; all stopped at the end):
- `authority`: NSD serving the zones below (tests/interop/zones.py) on 127.0.0.1, and
  `second_authority`: another NSD with one zone changed (moving.test), so that two recursors
  can disagree.
- `unbound`: Unbound recursing to `authority`, DNSSEC trust anchor for signed.test, plain DNS and
  its own DoH (TLS, HTTP/2 only).
- `knot_resolver`: Knot Resolver forwarding to the authorities (moving.test to the second one),
  same trust anchor, plain DNS and DoH (`doh2`: TLS, HTTP/2 only, sends CORS).
- `dnsdist`: dnsdist in front of `unbound`, DoH over plain HTTP and over TLS (HTTP/1.1 and
  HTTP/2, CORS headers added).
- `tinyproxy`: an HTTP proxy that logs every CONNECT.
- `test_ca`: a throw-away CA made with openssl and a certificate for IP 127.0.0.1 it signed; the
  CLI trusts it through SSL_CERT_FILE, as a user would.

dead.test is delegated (stubbed, forwarded) to ::1 on a port nothing listens on: Knot Resolver
tracks servers by address only, so a dead target on 127.0.0.1 would spoil its other answers.

A program that is missing or does not start fails the tests that need it: `make interop` (a
prerequisite of `make test`) installs them with apt-get.
"""

from __future__ import annotations

import contextlib
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.interop import zones

REPO = Path(__file__).resolve().parents[2]
START_TIMEOUT_S = 20.0
PROGRAMS = {
    "nsd": "/usr/sbin/nsd",
    "unbound": "/usr/sbin/unbound",
    "kresd": "/usr/sbin/kresd",
    "dnsdist": "/usr/bin/dnsdist",
    "tinyproxy": "/usr/bin/tinyproxy",
    "dig": "/usr/bin/dig",
    "ldns-keygen": "/usr/bin/ldns-keygen",
    "ldns-signzone": "/usr/bin/ldns-signzone",
    "openssl": "/usr/bin/openssl",
}


def program(name: str) -> str:
    path = PROGRAMS[name]
    if not Path(path).exists():
        # A skipped interop test would pass without testing anything: `make interop` installs.
        pytest.fail(f"{path} is not installed (make interop, or apt-get install it)")
    return path


def free_port(family: int = socket.AF_INET, host: str = "127.0.0.1") -> int:
    """A port free for both TCP and UDP at the moment of asking."""
    while True:
        with socket.socket(family, socket.SOCK_STREAM) as tcp:
            tcp.bind((host, 0))
            port = int(tcp.getsockname()[1])
            with socket.socket(family, socket.SOCK_DGRAM) as udp:
                try:
                    udp.bind((host, port))
                except OSError:
                    continue
        return port


def accepts(port: int, host: str = "127.0.0.1") -> bool:
    with contextlib.suppress(OSError), socket.create_connection((host, port), timeout=0.5):
        return True
    return False


@dataclass
class Daemon:
    name: str
    process: subprocess.Popen[bytes]
    log: Path

    def tail(self) -> str:
        try:
            return self.log.read_text(errors="replace")[-3000:]
        except OSError:
            return ""

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)


def start(name: str, argv: Sequence[str], workdir: Path, ports: Sequence[int]) -> Daemon:
    """Start `argv` in the foreground with its output in workdir/NAME.out; wait for `ports`."""
    log = workdir / f"{name}.out"
    with log.open("wb") as out:
        process = subprocess.Popen(
            list(argv), cwd=workdir, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
        )
    daemon = Daemon(name, process, log)
    deadline = time.monotonic() + START_TIMEOUT_S
    while not all(accepts(port) for port in ports):
        if process.poll() is not None or time.monotonic() > deadline:
            daemon.stop()
            pytest.fail(f"{name} did not start (exit {process.returncode}):\n{daemon.tail()}")
        time.sleep(0.05)
    return daemon


def run(argv: Sequence[str], cwd: Path | None = None) -> str:
    done = subprocess.run(
        list(argv), cwd=cwd, capture_output=True, text=True, check=False, timeout=60
    )
    if done.returncode != 0:
        pytest.fail(f"{' '.join(argv)} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return done.stdout


def workspace(interop_dir: Path, name: str) -> Path:
    folder = interop_dir / name
    folder.mkdir()
    return folder


@pytest.fixture(scope="session")
def interop_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("interop")


@dataclass(frozen=True)
class LocalCa:
    ca: Path  # the CA certificate: what SSL_CERT_FILE names
    cert: Path  # the servers' certificate (IP 127.0.0.1), signed by the CA
    key: Path
    spki: str  # base64 SHA-256 of the servers' public key, for Chromium's SPKI allow-list


@pytest.fixture(scope="session")
def test_ca(interop_dir: Path) -> LocalCa:
    openssl = program("openssl")
    folder = interop_dir / "ca"
    folder.mkdir()
    ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
    run(
        [
            openssl,
            "req",
            "-x509",
            *ec,
            "-days",
            "2",
            "-subj",
            "/CN=autossl-check interop CA",
            "-addext",
            "basicConstraints=critical,CA:TRUE",
            "-addext",
            "keyUsage=critical,keyCertSign,cRLSign",
            "-keyout",
            "ca.key",
            "-out",
            "ca.pem",
        ],
        cwd=folder,
    )
    run(
        [openssl, "req", *ec, "-subj", "/CN=127.0.0.1", "-keyout", "key.pem", "-out", "leaf.csr"],
        cwd=folder,
    )
    (folder / "leaf.ext").write_text(
        "subjectAltName=IP:127.0.0.1\nbasicConstraints=critical,CA:FALSE\n"
        "keyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n"
        "subjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n"
    )
    run(
        [
            openssl,
            "x509",
            "-req",
            "-in",
            "leaf.csr",
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-days",
            "2",
            "-extfile",
            "leaf.ext",
            "-out",
            "cert.pem",
        ],
        cwd=folder,
    )
    der = subprocess.run(
        [openssl, "pkey", "-in", "key.pem", "-pubout", "-outform", "DER"],
        cwd=folder,
        capture_output=True,
        check=True,
    ).stdout
    import base64
    import hashlib

    spki = base64.b64encode(hashlib.sha256(der).digest()).decode("ascii")
    for name in ("key.pem", "cert.pem", "ca.pem"):
        (folder / name).chmod(0o644)  # daemons that drop privileges still read them
    return LocalCa(folder / "ca.pem", folder / "cert.pem", folder / "key.pem", spki)


@dataclass(frozen=True)
class Signing:
    trust_anchor: str  # the key-signing DNSKEY of signed.test, one presentation line


def sign_zone(folder: Path) -> Signing:
    """Sign signed.test with ldns, then spoil one record, so its answer is DNSSEC-bogus."""
    keygen, signzone = program("ldns-keygen"), program("ldns-signzone")
    ksk = run([keygen, "-a", "ECDSAP256SHA256", "-k", zones.SIGNED], cwd=folder).strip()
    zsk = run([keygen, "-a", "ECDSAP256SHA256", zones.SIGNED], cwd=folder).strip()
    zone_file = folder / f"{zones.SIGNED}.zone"
    run([signzone, "-n", zone_file.name, ksk, zsk], cwd=folder)
    signed = folder / f"{zones.SIGNED}.zone.signed"
    text = signed.read_text()
    spoiled = zones.spoil_signed_zone(text)
    assert spoiled != text, "the record to spoil was not found in the signed zone"
    signed.write_text(spoiled)
    dnskey = (folder / f"{ksk}.key").read_text().split(";")[0].strip()
    return Signing(" ".join(dnskey.split()))


@dataclass(frozen=True)
class Authority:
    port: int
    daemon: Daemon
    signing: Signing | None


def start_nsd(folder: Path, zone_texts: dict[str, str], sign: bool) -> Authority:
    nsd = program("nsd")
    folder.mkdir()
    port = free_port()
    for zone, text in zone_texts.items():
        (folder / f"{zone}.zone").write_text(text)
    signing = sign_zone(folder) if sign else None
    files = {zone: f"{zone}.zone" for zone in zone_texts}
    if sign:
        files[zones.SIGNED] = f"{zones.SIGNED}.zone.signed"
    zone_blocks = "".join(
        f"zone:\n  name: {zone}\n  zonefile: {folder / file}\n" for zone, file in files.items()
    )
    (folder / "nsd.conf").write_text(
        "server:\n"
        f"  ip-address: 127.0.0.1@{port}\n"
        f"  port: {port}\n"
        '  username: ""\n'
        '  chroot: ""\n'
        f"  zonesdir: {folder}\n"
        '  database: ""\n'
        f"  pidfile: {folder / 'nsd.pid'}\n"
        f"  xfrdfile: {folder / 'xfrd.state'}\n"
        f"  zonelistfile: {folder / 'zone.list'}\n"
        f"  xfrdir: {folder}\n"
        f"  logfile: {folder / 'nsd.log'}\n"
        "  server-count: 1\n"
        "  verbosity: 1\n"
        "remote-control:\n"
        "  control-enable: no\n" + zone_blocks
    )
    daemon = start("nsd", [nsd, "-d", "-c", str(folder / "nsd.conf")], folder, [port])
    return Authority(port, daemon, signing)


@pytest.fixture(scope="session")
def dead_port() -> int:
    """A port on ::1 with nothing behind it: where dead.test is delegated."""
    return free_port(socket.AF_INET6, "::1")


@pytest.fixture(scope="session")
def authority(interop_dir: Path) -> Iterator[Authority]:
    started = start_nsd(interop_dir / "nsd", zones.primary_zones(), sign=True)
    yield started
    started.daemon.stop()


@pytest.fixture(scope="session")
def second_authority(interop_dir: Path) -> Iterator[Authority]:
    started = start_nsd(interop_dir / "nsd2", {zones.MOVING: zones.moving_zone(moved=True)}, False)
    yield started
    started.daemon.stop()


@dataclass(frozen=True)
class Recursor:
    name: str
    dns_port: int  # plain DNS (UDP and TCP) on 127.0.0.1, for dig
    doh_url: str  # its own DoH endpoint
    daemon: Daemon


@pytest.fixture(scope="session")
def unbound(
    interop_dir: Path, authority: Authority, test_ca: LocalCa, dead_port: int
) -> Iterator[Recursor]:
    binary, folder = program("unbound"), workspace(interop_dir, "unbound")
    dns_port, doh_port = free_port(), free_port()
    assert authority.signing is not None
    stubs = "".join(
        f'stub-zone:\n  name: "{zone}."\n  stub-addr: 127.0.0.1@{authority.port}\n'
        for zone in zones.SERVED
    )
    stubs += f'stub-zone:\n  name: "{zones.DEAD}."\n  stub-addr: ::1@{dead_port}\n'
    (folder / "unbound.conf").write_text(
        "server:\n"
        f"  interface: 127.0.0.1@{dns_port}\n"
        f"  interface: 127.0.0.1@{doh_port}\n"
        f"  https-port: {doh_port}\n"
        f"  tls-service-key: {test_ca.key}\n"
        f"  tls-service-pem: {test_ca.cert}\n"
        '  http-endpoint: "/dns-query"\n'
        '  username: ""\n'
        '  chroot: ""\n'
        f'  directory: "{folder}"\n'
        f'  pidfile: "{folder / "unbound.pid"}"\n'
        "  use-syslog: no\n"
        '  logfile: ""\n'
        "  verbosity: 1\n"
        "  num-threads: 1\n"
        "  do-not-query-localhost: no\n"
        "  do-ip6: yes\n"
        "  qname-minimisation: no\n"
        "  ede: yes\n"
        '  local-zone: "test." nodefault\n'
        "  val-log-level: 2\n"
        '  module-config: "validator iterator"\n'
        f'  trust-anchor: "{authority.signing.trust_anchor}"\n' + stubs
    )
    daemon = start(
        "unbound", [binary, "-d", "-c", str(folder / "unbound.conf")], folder, [dns_port, doh_port]
    )
    yield Recursor("unbound", dns_port, f"https://127.0.0.1:{doh_port}/dns-query", daemon)
    daemon.stop()


@pytest.fixture(scope="session")
def knot_resolver(
    interop_dir: Path,
    authority: Authority,
    second_authority: Authority,
    test_ca: LocalCa,
    dead_port: int,
) -> Iterator[Recursor]:
    binary, folder = program("kresd"), workspace(interop_dir, "kresd")
    dns_port, doh_port = free_port(), free_port()
    assert authority.signing is not None
    primary = [z for z in zones.SERVED if z != zones.MOVING]

    def forward(target: str, names: list[str]) -> str:
        todnames = ", ".join(f"'{name}.'" for name in names)
        return (
            f"policy.add(policy.suffix(policy.FORWARD({{'{target}'}}), "
            f"policy.todnames({{{todnames}}})))\n"
        )

    (folder / "kresd.conf").write_text(
        f"net.listen('127.0.0.1', {dns_port}, {{ kind = 'dns' }})\n"
        f"net.listen('127.0.0.1', {doh_port}, {{ kind = 'doh2' }})\n"
        f"net.tls('{test_ca.cert}', '{test_ca.key}')\n"
        "cache.size = 10 * MB\n"
        # Debian's build loads the root's trust anchor: nothing here chains to the root.
        "trust_anchors.remove('.')\n"
        "for _, name in ipairs({'priming', 'detect_time_skew', 'ta_signal_query'}) do\n"
        "  pcall(modules.unload, name)\n"
        "end\n"
        f"trust_anchors.add('{authority.signing.trust_anchor}')\n"
        # The first rule that matches wins: the more specific zones first.
        + forward(f"::1@{dead_port}", [zones.DEAD])
        + forward(f"127.0.0.1@{second_authority.port}", [zones.MOVING])
        + forward(f"127.0.0.1@{authority.port}", primary)
    )
    daemon = start(
        "kresd",
        [binary, "-n", "-c", str(folder / "kresd.conf"), str(folder)],
        folder,
        [dns_port, doh_port],
    )
    yield Recursor("knot-resolver", dns_port, f"https://127.0.0.1:{doh_port}/dns-query", daemon)
    daemon.stop()


@dataclass(frozen=True)
class Dnsdist:
    plain_url: str  # DoH over plain HTTP (HTTP/1.1; loopback only, as the CLI allows)
    tls_url: str  # DoH over TLS (ALPN h2 and http/1.1)
    daemon: Daemon


CORS = '{ ["access-control-allow-origin"] = "*" }'


@pytest.fixture(scope="session")
def dnsdist(interop_dir: Path, unbound: Recursor, test_ca: LocalCa) -> Iterator[Dnsdist]:
    binary, folder = program("dnsdist"), workspace(interop_dir, "dnsdist")
    dns_port, plain_port, tls_port = free_port(), free_port(), free_port()
    options = f"{{ customResponseHeaders = {CORS} }}"
    (folder / "dnsdist.conf").write_text(
        f"setLocal('127.0.0.1:{dns_port}')\n"
        'setSecurityPollSuffix("")\n'
        # Its health check asks for a root server's name, which nothing here can resolve.
        f"newServer({{ address = '127.0.0.1:{unbound.dns_port}', "
        f"checkName = 'ok.{zones.INTEROP}.' }})\n"
        f"addDOHLocal('127.0.0.1:{plain_port}', nil, nil, '/dns-query', {options})\n"
        f"addDOHLocal('127.0.0.1:{tls_port}', '{test_ca.cert}', '{test_ca.key}', "
        f"'/dns-query', {options})\n"
    )
    daemon = start(
        "dnsdist",
        [binary, "--supervised", "--disable-syslog", "-C", str(folder / "dnsdist.conf")],
        folder,
        [plain_port, tls_port],
    )
    yield Dnsdist(
        f"http://127.0.0.1:{plain_port}/dns-query",
        f"https://127.0.0.1:{tls_port}/dns-query",
        daemon,
    )
    daemon.stop()


@dataclass(frozen=True)
class Proxy:
    url: str
    log: Path
    daemon: Daemon

    def connects(self) -> list[str]:
        """The host:port of every CONNECT request logged so far, in order."""
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return re.findall(r"Request \(file descriptor \d+\): CONNECT (\S+) ", text)


@pytest.fixture(scope="session")
def tinyproxy(interop_dir: Path) -> Iterator[Proxy]:
    binary, folder = program("tinyproxy"), workspace(interop_dir, "tinyproxy")
    folder.chmod(0o777)  # it may run as nobody
    port = free_port()
    log = folder / "tinyproxy.log"
    (folder / "tinyproxy.conf").write_text(
        f"Port {port}\nListen 127.0.0.1\nTimeout 30\nAllow 127.0.0.1\n"
        f'LogFile "{log}"\nLogLevel Connect\nMaxClients 50\n'
    )
    daemon = start(
        "tinyproxy", [binary, "-d", "-c", str(folder / "tinyproxy.conf")], folder, [port]
    )
    yield Proxy(f"http://127.0.0.1:{port}", log, daemon)
    daemon.stop()


@dataclass
class CliRun:
    status: int
    report: dict[str, Any]
    stdout: str
    stderr: str
    seconds: float

    def codes(self) -> dict[str, list[str]]:
        return {row["name"]: row["codes"] for row in self.report["names"]}


def run_cli(
    domain: str,
    resolvers: Sequence[str],
    *args: str,
    ca: LocalCa | None = None,
    env: dict[str, str] | None = None,
    json_output: bool = True,
    service_subdomains: bool = False,
) -> CliRun:
    """The installed CLI in a child process, as a user runs it (SSL_CERT_FILE for the test CA).

    Without `service_subdomains` a domain D is checked as D, www.D and mail.D only."""
    argv = [sys.executable, "-m", "autossl_check", domain]
    argv += [] if service_subdomains else ["--no-service-subdomains"]
    for resolver in resolvers:
        argv += ["--resolver", resolver]
    argv += [*args, *(["--json"] if json_output else [])]
    child_env = {
        key: value
        for key, value in os.environ.items()
        if not key.lower().endswith("_proxy") and key not in ("SSL_CERT_FILE", "SSL_CERT_DIR")
    }
    child_env["PYTHONPATH"] = str(REPO / "checker")
    if ca is not None:
        child_env["SSL_CERT_FILE"] = str(ca.ca)
    child_env.update(env or {})
    started = time.monotonic()
    done = subprocess.run(
        argv, capture_output=True, text=True, check=False, env=child_env, timeout=60
    )
    seconds = time.monotonic() - started
    assert done.returncode in (0, 1, 3), done.stderr
    report: dict[str, Any] = {}
    if json_output:
        import json

        report = json.loads(done.stdout)
    return CliRun(done.returncode, report, done.stdout, done.stderr, seconds)


@dataclass(frozen=True)
class DigAnswer:
    status: str  # NOERROR, NXDOMAIN, SERVFAIL...
    records: list[tuple[str, str, str]]  # (owner, type, data) of the answer section
    ede: list[int]


def dig(recursor: Recursor, name: str, rdtype: str) -> DigAnswer:
    """What `dig` gets from the recursor's plain DNS port."""
    out = run(
        [
            program("dig"),
            "@127.0.0.1",
            "-p",
            str(recursor.dns_port),
            name,
            rdtype,
            "+tries=1",
            "+time=5",
            "+nocookie",
            "+noall",
            "+comments",
            "+answer",
        ]
    )
    status = ""
    ede: list[int] = []
    records = []
    for line in out.splitlines():
        if "status:" in line:
            status = line.split("status:", 1)[1].split(",", 1)[0].strip()
        elif line.startswith("; EDE:"):
            ede.append(int(line.split(":", 1)[1].split()[0]))
        elif line and not line.startswith(";"):
            owner, _ttl, _class, kind, data = line.split(None, 4)
            records.append((owner.rstrip(".").lower(), kind, data))
    return DigAnswer(status, records, ede)
