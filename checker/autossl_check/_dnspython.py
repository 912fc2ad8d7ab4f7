"""Load dnspython without its installed-packages machinery.

On its first import, `dns.name` asks `importlib.metadata` whether a recent enough `idna` is
installed, to pick its default IDNA codec. Reading that metadata imports the `email` package to
parse METADATA; under Pyodide, where every module is compiled at import, that alone is about a
third of the time dnspython takes to load. `idna` is a dependency of this package, so its version
is at hand: dnspython gets the same answer its probe would reach, through its own `force` switch.
If dnspython ever changes how it probes, nothing is settled here and it probes for itself.

Even unasked, `import importlib.metadata` at the top of `dns._features` costs more than a third
of dnspython's own import time on the CLI (it pulls in email, zipfile, csv, pathlib, inspect...).
So while `dns._features` is imported, `importlib.metadata` stands for a placeholder that imports
the real module the first time anything is read from it: dnspython only reads it to probe a
feature nobody has settled (never, for what the checker imports). The placeholder leaves
`sys.modules` as soon as `dns._features` is loaded, so any later `import importlib.metadata`
gets the real module, which then also replaces the placeholder as `importlib.metadata`.

Import this module before any `dns` module (wire.py does).
"""

from __future__ import annotations

import sys
import types
from typing import Any

METADATA = "importlib.metadata"


class _MetadataOnFirstUse(types.ModuleType):
    """Stands for `importlib.metadata` until an attribute is read, then is the real module."""

    def __getattr__(self, attribute: str) -> Any:
        if sys.modules.get(METADATA) is self:
            del sys.modules[METADATA]
        import importlib

        real = importlib.import_module(METADATA)  # also sets importlib.metadata = real
        return getattr(real, attribute)


def _import_features() -> types.ModuleType:
    if "dns._features" in sys.modules or METADATA in sys.modules:
        import dns._features

        return dns._features
    import importlib

    placeholder = _MetadataOnFirstUse(METADATA)
    sys.modules[METADATA] = placeholder
    importlib.metadata = placeholder  # dns._features reads it as `importlib.metadata`
    try:
        import dns._features
    finally:
        if sys.modules.get(METADATA) is placeholder:
            del sys.modules[METADATA]
    return dns._features


def _settle_idna_feature(features: Any) -> None:
    try:
        if "idna" in features._cache:
            return  # dnspython has already decided (dns.name was imported earlier)
        import idna

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


_settle_idna_feature(_import_features())
