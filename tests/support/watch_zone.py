"""Zone data for the watch's tests: watch.example and its www. are fine, mail.watch.example is
missing until `fixed` (its NXDOMAIN cached for NEGATIVE_TTL seconds)."""

from __future__ import annotations

from typing import Any

from tests.support.doh_resolver import ZoneData

SERVER = "203.0.113.10"
NEGATIVE_TTL = 40


def watch_zone(fixed: bool) -> ZoneData:
    records: dict[str, Any] = {
        "watch.example.": {"A": [SERVER], "ttl": 600},
        "www.watch.example.": {"CNAME": "watch.example.", "ttl": 600},
    }
    if fixed:
        records["mail.watch.example."] = {"A": [SERVER]}
    return ZoneData.load({"ttl": NEGATIVE_TTL, "records": records})
