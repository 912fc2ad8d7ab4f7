"""Settle dnspython's one installed-packages probe before `dns.name` is imported.

On its first import, `dns.name` asks `importlib.metadata` whether a recent enough `idna` is
installed, to pick its default IDNA codec. Reading that metadata imports the `email` package to
parse METADATA; under Pyodide, where every module is compiled at import, that alone is about a
third of the time dnspython takes to load. `idna` is a dependency of this package, so its version
is at hand: dnspython gets the same answer its probe would reach, through its own `force` switch.
If dnspython ever changes how it probes, nothing is settled here and it probes for itself.

Import this module before any `dns` module (wire.py does).
"""

from __future__ import annotations

import dns._features
import idna


def _settle_idna_feature() -> None:
    features = dns._features
    try:
        if "idna" in features._cache:
            return  # dnspython has already decided (dns.name was imported earlier)
        satisfied = True
        for requirement in features._requirements["idna"]:
            package, minimum = requirement.split(">=")
            if package.strip() != "idna":
                return
            installed = features._tuple_from_text(idna.__version__)
            satisfied = satisfied and installed >= features._tuple_from_text(minimum.strip())
    except (AttributeError, KeyError, TypeError, ValueError):
        return
    features.force("idna", satisfied)


_settle_idna_feature()
