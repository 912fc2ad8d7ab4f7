"""What the checker imports, and when: dnspython loaded without its installed-packages probe.

Under Pyodide every module is compiled as it is imported, so these are the page's start-up costs.
Each test runs in a fresh interpreter, since this one has long imported everything.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap


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

            print(json.dumps({"idna": features.have("idna")}))
            """
        )
    )
    assert report == {"idna": False}
