"""What the checker imports, and when: a light facade, a prepare() that loads everything the first
check needs, and dnspython loaded without its installed-packages probe.

Under Pyodide every module is compiled as it is imported, so these are the page's start-up costs.
Each test runs in a fresh interpreter, since this one has long imported everything.
"""

from __future__ import annotations

import base64
import json
import subprocess
import sys
import textwrap
from typing import Any

import dns.message
import dns.rdatatype

from .helpers import DEFAULT_NAMES, SERVER, reply_for


def run_python(code: str, stdin: str = "") -> str:
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def canned_replies() -> dict[str, str]:
    """Replies for the default names of ok.example, keyed "name/type number" (base64 wire)."""
    replies: dict[str, str] = {}
    for name in (*DEFAULT_NAMES, "example"):
        for rdtype in ("A", "AAAA", "CAA"):
            query = dns.message.make_query(name, rdtype, use_edns=0)
            query.id = 0
            records: dict[str, list[str]] = {}
            cname: list[tuple[str, str]] = []
            if name == "www.ok.example":
                cname = [("www.ok.example.", "ok.example.")]
            if rdtype == "A" and name != "example":
                records["A"] = [SERVER]
            if rdtype == "CAA" and name == "ok.example":
                records["CAA"] = ['0 issue "letsencrypt.org"']
            if rdtype == "CAA" and name == "www.ok.example":
                records["CAA"] = ['0 issue "letsencrypt.org"']
            wire = reply_for(query, records, cname=cname)
            key = f"{name}/{int(dns.rdatatype.from_text(rdtype))}"
            replies[key] = base64.b64encode(wire).decode("ascii")
    return replies


def test_the_facade_imports_neither_dnspython_nor_the_engine() -> None:
    loaded = json.loads(
        run_python(
            """
            import json, sys
            import autossl_check.browser
            print(json.dumps(sorted(sys.modules)))
            """
        )
    )
    heavy = {
        "dns",
        "idna",
        "argparse",
        "http.client",
        "autossl_check.engine",
        "autossl_check.report",
        "autossl_check.cli",
        "autossl_check.native_transport",
        "autossl_check.pyodide_transport",
    }
    assert heavy.isdisjoint(loaded)


def test_a_check_after_prepare_imports_nothing() -> None:
    # The replies are answered by a transport written without dnspython, so that nothing but the
    # checker itself imports modules in the child.
    report = json.loads(
        run_python(
            """
            import asyncio, base64, json, sys
            from urllib.parse import parse_qs, urlsplit

            import autossl_check.browser as browser
            from autossl_check.page_policy import TEST
            from autossl_check.transport import DNS_MESSAGE, HttpReply

            replies = json.loads(sys.stdin.read())

            def question(url):
                encoded = parse_qs(urlsplit(url).query)["dns"][0]
                wire = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))
                labels, at = [], 12
                while wire[at]:
                    labels.append(wire[at + 1 : at + 1 + wire[at]].decode("ascii").lower())
                    at += 1 + wire[at]
                return ".".join(labels) + "/" + str(int.from_bytes(wire[at + 1 : at + 3]))

            async def canned(url, accept):
                found = replies.get(question(url))
                if found is None:
                    return HttpReply(404, "text/plain", b"missing")
                return HttpReply(200, DNS_MESSAGE, base64.b64decode(found))

            browser.prepare()
            before = set(sys.modules)
            events = []
            query = "domain=ok.example&server=203.0.113.10&resolver=http://127.0.0.1:9/dns-query"
            asyncio.run(
                browser.run_from_query(query, "en", events.append, transport=canned, policy=TEST)
            )
            done = json.loads(events[-1])
            print(json.dumps({
                "ending": done["event"],
                "verdict": done.get("result", {}).get("verdict"),
                "imported": sorted(set(sys.modules) - before),
            }))
            """,
            stdin=json.dumps(canned_replies()),
        )
    )
    assert report == {"ending": "done", "verdict": "ok", "imported": []}


def test_dnspython_gets_its_own_idna_answer_without_reading_metadata() -> None:
    report = json.loads(
        run_python(
            """
            import importlib.metadata, json

            asked = []
            real_version = importlib.metadata.version

            def spy(name):
                asked.append(name)
                return real_version(name)

            importlib.metadata.version = spy
            import autossl_check.wire
            autossl_check.wire.load_dnspython()
            import dns._features as features
            import dns.name

            settled = features.have("idna")
            asked_while_importing = list(asked)
            probed = all(features._version_check(r) for r in features._requirements["idna"])
            print(json.dumps({
                "asked": asked_while_importing,
                "settled": settled,
                "probed": probed,
                "codec_2008": dns.name.IDNA_DEFAULT is dns.name.IDNA_2008_Practical,
            }))
            """
        )
    )
    assert report["asked"] == []
    assert report["settled"] == report["probed"]
    assert report["codec_2008"] == report["probed"]


def test_an_earlier_dnspython_import_keeps_its_own_decision() -> None:
    report = json.loads(
        run_python(
            """
            import json
            import dns.name
            import dns._features as features

            features._cache["idna"] = False  # as if dnspython had found no usable idna
            import autossl_check.wire
            autossl_check.wire.load_dnspython()

            print(json.dumps({"idna": features.have("idna")}))
            """
        )
    )
    assert report == {"idna": False}


FEATURES = """
import json
import dns._features as features
print(json.dumps({name: features.have(name) for name in sorted(features._requirements)}))
"""


def test_dnspython_loads_without_importlib_metadata_which_still_works_after() -> None:
    report = json.loads(
        run_python(
            """
            import importlib, json, sys
            import autossl_check.wire
            autossl_check.wire.load_dnspython()
            import dns._features as features
            import dns.name

            loaded = {m for m in ("importlib.metadata", "email", "zipfile") if m in sys.modules}
            answers = {name: features.have(name) for name in sorted(features._requirements)}
            import idna
            from importlib.metadata import version

            print(json.dumps({
                "loaded_with_dnspython": sorted(loaded),
                "answers": answers,
                "version": version("idna") == idna.__version__,
                "one_module": importlib.metadata is sys.modules["importlib.metadata"],
            }))
            """
        )
    )
    assert report["loaded_with_dnspython"] == []
    # dnspython's own probe, in an interpreter where the checker played no part.
    assert report["answers"] == json.loads(run_python(FEATURES))
    assert report["version"] is True
    assert report["one_module"] is True


def test_the_cli_sends_its_first_query_before_loading_the_findings_and_the_report(
    doh_resolver: Any,
) -> None:
    # What only reading answers and writing the report need is imported while they are awaited
    # (dnspython itself is loaded before: it builds the queries).
    report = json.loads(
        run_python(
            f"""
            import contextlib, io, json, sys

            later = ("autossl_check.findings", "autossl_check.report", "autossl_check.texts")
            at_first_connect = []

            def audit(event, args):
                if event == "socket.connect" and not at_first_connect:
                    at_first_connect.append(sorted(m for m in later if m in sys.modules))

            sys.addaudithook(audit)
            from autossl_check.cli import main

            argv = ["ok.example", "--server", "{SERVER}", "--resolver", "{doh_resolver.url}"]
            with contextlib.redirect_stdout(io.StringIO()):
                status = main([*argv, "--json"])
            print(json.dumps({{"status": status, "loaded": at_first_connect}}))
            """
        )
    )
    assert report == {"status": 0, "loaded": [[]]}


def test_only_a_command_line_run_freezes_its_objects_for_the_shutdown(doh_resolver: Any) -> None:
    # gc.freeze() spares the interpreter's shutdown a walk over every object; main(argv) called
    # by a program that goes on must leave its garbage collector alone.
    report = json.loads(
        run_python(
            f"""
            import contextlib, gc, io, json, sys
            from autossl_check.cli import main

            argv = ["ok.example", "--server", "{SERVER}", "--resolver", "{doh_resolver.url}"]
            frozen = gc.get_freeze_count()  # not always 0 at start-up
            with contextlib.redirect_stdout(io.StringIO()):
                in_process = main([*argv, "--json"]), gc.get_freeze_count() - frozen
                sys.argv = ["autossl-check", *argv, "--json"]
                command_line = main(), gc.get_freeze_count() - frozen
            print(json.dumps({{"in_process": in_process, "command_line": command_line}}))
            """
        )
    )
    assert report["in_process"] == [0, 0]
    assert report["command_line"][0] == 0
    assert report["command_line"][1] > 0
