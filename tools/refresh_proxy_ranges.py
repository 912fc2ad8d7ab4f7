#!/usr/bin/env python3
"""Rewrite the checker's Cloudflare ranges from lists saved to disk (no network).

Save Cloudflare's lists first, with any tool you trust, then run for example:

    curl -fsS -o /tmp/ips-v4 https://www.cloudflare.com/ips-v4
    curl -fsS -o /tmp/ips-v6 https://www.cloudflare.com/ips-v6
    python tools/refresh_proxy_ranges.py /tmp/ips-v4 /tmp/ips-v6

or, from the API's JSON (`result.ipv4_cidrs` and `result.ipv6_cidrs`):

    curl -fsS -o /tmp/ips.json https://api.cloudflare.com/client/v4/ips
    python tools/refresh_proxy_ranges.py /tmp/ips.json

Text files hold one prefix a line (blank lines and `#` comments are skipped); the family of each
prefix decides where it goes. Every prefix is checked (no host bits set) and both families must be
present, so a truncated or HTML download is refused instead of written. `--as-of` records the day
the lists were saved (default: today, UTC).
"""

from __future__ import annotations

import argparse
import datetime
import ipaddress
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUTPUT = ROOT / "checker" / "autossl_check" / "data" / "cloudflare_ranges.json"
TEXT_SOURCES = ["https://www.cloudflare.com/ips-v4", "https://www.cloudflare.com/ips-v6"]
API_SOURCE = "https://api.cloudflare.com/client/v4/ips"
NOTE = (
    "Cloudflare's published ranges, the same list cPanel 120 ships as cloudflare.ranges.json. "
    "Refresh with tools/refresh_proxy_ranges.py."
)


class RefreshError(Exception):
    pass


def prefixes_from_file(path: Path) -> tuple[list[str], list[str], str]:
    """(IPv4 prefixes, IPv6 prefixes, source URL) read from one saved file."""
    text = path.read_text(encoding="utf-8")
    if text.lstrip().startswith("{"):
        try:
            result = json.loads(text)["result"]
            candidates = [*result["ipv4_cidrs"], *result["ipv6_cidrs"]]
        except (ValueError, KeyError, TypeError) as error:
            raise RefreshError(f"{path}: not Cloudflare's API answer ({error})") from None
        source = API_SOURCE
    else:
        candidates = [line.split("#", 1)[0].strip() for line in text.splitlines()]
        candidates = [line for line in candidates if line]
        source = ""
    ipv4: list[str] = []
    ipv6: list[str] = []
    for candidate in candidates:
        try:
            network = ipaddress.ip_network(str(candidate), strict=True)
        except ValueError as error:
            raise RefreshError(f"{path}: not a prefix: {candidate!r} ({error})") from None
        (ipv4 if network.version == 4 else ipv6).append(network.compressed)
    if not source:
        source = TEXT_SOURCES[0] if ipv4 and not ipv6 else TEXT_SOURCES[1] if ipv6 else ""
    return ipv4, ipv6, source


def build_document(paths: list[Path], as_of: str) -> dict[str, object]:
    ipv4: list[str] = []
    ipv6: list[str] = []
    sources: list[str] = []
    for path in paths:
        found4, found6, source = prefixes_from_file(path)
        ipv4 += [p for p in found4 if p not in ipv4]
        ipv6 += [p for p in found6 if p not in ipv6]
        if source and source not in sources:
            sources.append(source)
    if not ipv4 or not ipv6:
        raise RefreshError("both IPv4 and IPv6 prefixes are needed (give ips-v4 and ips-v6)")
    return {
        "proxy": "cloudflare",
        "sources": sources,
        "as_of": as_of,
        "note": NOTE,
        "ipv4": ipv4,
        "ipv6": ipv6,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="+", type=Path, help="ips-v4, ips-v6 or the API's JSON")
    parser.add_argument("--as-of", help="the day the lists were saved, YYYY-MM-DD")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args(argv)
    as_of = args.as_of or datetime.datetime.now(datetime.UTC).date().isoformat()
    try:
        datetime.date.fromisoformat(as_of)
        document = build_document(args.files, as_of)
    except (RefreshError, OSError, ValueError) as error:
        print(f"refresh_proxy_ranges: {error}", file=sys.stderr)
        return 2
    args.output.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    print(f"{args.output}: written ({as_of})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
