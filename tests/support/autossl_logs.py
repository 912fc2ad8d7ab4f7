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
        data = (
            block.replace("bob", f"b{number}")
            .replace("shop.example", f"s{number}.example")
            .replace("carol", f"c{number}")
            .replace("dave", f"d{number}")
            .encode()
        )
        produced += len(data)
        number += 1
        yield data
