"""Generated AutoSSL logs of any size, for the memory test and the benchmark."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

RUN_OF_THREE_ACCOUNTS = Path(__file__).resolve().parents[1] / "data" / "autossl" / "autossl.txt"
# The same run as cPanel's json file (one object per line).
RUN_OF_THREE_ACCOUNTS_JSON = RUN_OF_THREE_ACCOUNTS.with_suffix(".json")


def generated_log(total_bytes: int, run: Path = RUN_OF_THREE_ACCOUNTS) -> Iterator[bytes]:
    """cPanel 120's run of three accounts (the txt form, or the form of `run`), renamed block
    after block (accounts and domains unique), until at least `total_bytes` were produced.
    Nothing is kept."""
    block = run.read_text(encoding="utf-8")
    produced, number = 0, 0
    while produced < total_bytes:
        data = _renamed(block, number).encode()
        produced += len(data)
        number += 1
        yield data


RUN_NAMES = (
    "bob.example", "www.bob.example", "mail.bob.example", "shop.example", "www.shop.example",
    "cpanel.shop.example", "webmail.shop.example", "dave.example", "www.dave.example",
)  # fmt: skip
FIELD_REPORT = RUN_OF_THREE_ACCOUNTS.with_name("field-report-v76.txt")
FIELD_REPORT_NAMES = (
    "sakakitest.dev", "www.sakakitest.dev", "mail.sakakitest.dev", "cpanel.sakakitest.dev",
    "webdisk.sakakitest.dev", "webmail.sakakitest.dev", "autodiscover.sakakitest.dev",
)  # fmt: skip


def _renamed(text: str, number: int) -> str:
    return (
        text.replace("bob", f"b{number}")
        .replace("shop.example", f"s{number}.example")
        .replace("carol", f"c{number}")
        .replace("dave", f"d{number}")
    )


def pasted_days(total_chars: int, servers: int = 20) -> tuple[str, list[str]]:
    """A support agent's paste of many days of one server's logs: the field report's run, then
    `servers` renamed runs of three accounts, again and again until `total_chars`. Returns the
    text and its exact names in log order (the field report's seven, then nine per run)."""
    runs = [FIELD_REPORT.read_text(encoding="utf-8")]
    runs += [_renamed(RUN_OF_THREE_ACCOUNTS.read_text(encoding="utf-8"), n) for n in range(servers)]
    day = "".join(runs)
    text = day * (total_chars // len(day) + 1)
    names = [*FIELD_REPORT_NAMES] + [
        _renamed(name, n) for n in range(servers) for name in RUN_NAMES
    ]
    return text, names
