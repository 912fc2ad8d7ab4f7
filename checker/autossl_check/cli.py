"""The command line: `autossl-check DOMAIN [options]`.

Exit status: 0 ok, 1 action needed, 2 bad input or usage, 3 inconclusive, 4 check needed (ADR-9).
An internal error also ends with 3 (nothing definite was learnt) and one line on stderr, never a
traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, NoReturn

from . import defaults

if TYPE_CHECKING:
    from .http_probe import ProbeRun
    from .model import CheckRequest, CheckResult, PlannedName
    from .watch import Clock

PROG = "autossl-check"
EXIT_OK, EXIT_ACTION, EXIT_USAGE, EXIT_INCONCLUSIVE, EXIT_CHECK = 0, 1, 2, 3, 4
EXIT_BY_VERDICT = {
    "ok": EXIT_OK,
    "action_needed": EXIT_ACTION,
    "inconclusive": EXIT_INCONCLUSIVE,
    "check_needed": EXIT_CHECK,
}


class _UsageError(Exception):
    """argparse refused the command line; its message is argparse's own (English)."""


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line (its default prints the whole usage first)."""

    def error(self, message: str) -> NoReturn:
        raise _UsageError(message)


def default_lang(environ: dict[str, str] | None = None) -> str:
    env = os.environ if environ is None else environ
    for key in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(key)
        if value:
            return "ja" if value.lower().startswith("ja") else "en"
    return "en"


def build_parser() -> _Parser:
    parser = _Parser(
        prog=PROG,
        description=(
            "Check that every name cPanel AutoSSL puts in a certificate order resolves, in public "
            "DNS, to the server, and that CAA lets the CA issue."
        ),
        epilog=(
            "Exit status: 0 ok, 1 action needed, 2 bad input or usage, 3 inconclusive (a lookup "
            "failed and nothing definite is wrong; also an internal error), 4 check needed (a "
            "name may pass or fail: behind a proxy, or an HTTP probe finding). "
            "Example: autossl-check example.com --server 203.0.113.10"
        ),
    )
    parser.add_argument(
        "domain",
        nargs="?",
        help="the account's domain (any case, a URL, or a Unicode IDN); "
        "not with --from-log or --from-domain-info",
    )
    source = parser.add_mutually_exclusive_group()
    source.add_argument(
        "--from-log",
        metavar="FILE",
        help="check exactly the names of an AutoSSL log (text, txt, json or whmapi1 "
        "get_autossl_log output; - for standard input)",
    )
    source.add_argument(
        "--from-domain-info",
        metavar="FILE",
        help="check the names of cPanel's domain list (whmapi1 get_domain_info, uapi "
        "DomainInfo domains_data or list_domains, as JSON; - for standard input)",
    )
    parser.add_argument(
        "--user", metavar="USER", help="with --from-log or --from-domain-info: one account only"
    )
    parser.add_argument(
        "--rate",
        type=float,
        default=None,
        metavar="N",
        help="with --from-log or --from-domain-info: queries per second to each resolver "
        "(default 50)",
    )
    parser.add_argument(
        "--server",
        action="append",
        default=[],
        metavar="ADDR",
        help="the cPanel server's IPv4 or IPv6 address (repeatable); without it "
        "the domain's own A/AAAA addresses are taken as the server's",
    )
    parser.add_argument(
        "--provider",
        choices=defaults.PROVIDERS,
        default=defaults.DEFAULT_PROVIDER,
        help="the AutoSSL provider, for CAA (default: letsencrypt)",
    )
    parser.add_argument(
        "--addon",
        action="append",
        default=[],
        metavar="DOMAIN",
        help="an addon domain; gets the same names as the main domain (repeatable)",
    )
    parser.add_argument(
        "--subdomain",
        action="append",
        default=[],
        metavar="NAME",
        help="a subdomain, in full or as a label of DOMAIN; adds it and its www. (repeatable)",
    )
    parser.add_argument(
        "--reseller",
        action="store_true",
        help="a reseller account: adds the whm. service subdomain",
    )
    parser.add_argument(
        "--no-service-subdomains",
        dest="service_subdomains",
        action="store_false",
        help="the Service subdomains setting is off: drop cpanel., webmail., "
        "webdisk., cpcalendars., cpcontacts. and autodiscover.",
    )
    parser.add_argument(
        "--no-autodiscover",
        dest="autodiscover",
        action="store_false",
        help="autodiscover service subdomains are off: drop autodiscover.",
    )
    parser.add_argument(
        "--resolver",
        action="append",
        default=[],
        metavar="NAME|URL",
        help="a DoH resolver URL, or cloudflare / google / both (repeatable; "
        "replaces the default Cloudflare + Google; plain http only for loopback)",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=defaults.DEADLINE_SECONDS,
        metavar="SECONDS",
        help=f"time limit for the whole check (default {defaults.DEADLINE_SECONDS:g}); each "
        f"query waits at most {defaults.QUERY_TIMEOUT_SECONDS:g} s or this, whichever is shorter",
    )
    parser.add_argument(
        "--max-in-flight",
        type=int,
        default=defaults.MAX_IN_FLIGHT,
        metavar="N",
        help=f"queries in flight at once, per resolver (default {defaults.MAX_IN_FLIGHT})",
    )
    parser.add_argument(
        "--proxy",
        metavar="URL",
        help="an http:// or https:// proxy for every resolver (default: HTTPS_PROXY, "
        "ALL_PROXY and NO_PROXY from the environment)",
    )
    output = parser.add_mutually_exclusive_group()
    output.add_argument(
        "--json",
        action="store_true",
        help="print the result as JSON (schema 1), whatever the verdict",
    )
    output.add_argument(
        "--markdown",
        action="store_true",
        help="print a Markdown block to paste into a support ticket",
    )
    parser.add_argument(
        "--lang",
        choices=("en", "ja"),
        default=None,
        help="language of text and Markdown output (default: ja when LC_ALL, "
        "LC_MESSAGES or LANG starts with 'ja', else en)",
    )
    parser.add_argument(
        "--docs-url",
        default="",
        metavar="URL",
        help="the guide's base URL, to link findings in Markdown output",
    )
    parser.add_argument(
        "--http",
        action="store_true",
        help="after the DNS check, send every address of every name the request the CA's "
        "validator sends (http://NAME/.well-known/..., port 80) and report the answers",
    )
    parser.add_argument(
        "--docroot",
        default=None,
        metavar="DIR",
        help="with --http (implied): write a random test file under DIR/.well-known/, fetch it "
        "through public DNS, compare, and delete it; for a run on the cPanel server",
    )
    parser.add_argument(
        "--watch",
        action="store_true",
        help="after the check, ask each failing name again once public resolvers' cached answer "
        "expires (at most every 30 s), print what changes, and exit 0 as soon as every name is "
        "fine; Ctrl-C stops",
    )
    parser.add_argument(
        "--watch-for",
        type=_duration,
        default=None,
        metavar="DURATION",
        help="how long --watch goes on, e.g. 90s, 30m, 2h (default 2h, at most 24h)",
    )
    parser.add_argument("--version", action="store_true", help="print the version and exit")
    return parser


def _duration(value: str) -> float:
    from .watch import parse_duration

    try:
        return parse_duration(value)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _version() -> str:
    from . import __version__

    return __version__


def _fail(code: int, lang: str, key: str, **params: str) -> int:
    from . import texts

    print(f"{PROG}: {texts.label(key, lang, **params)}", file=sys.stderr)
    return code


def _lang_of(args_list: list[str]) -> str:
    """The language asked for, read before (or without) a successful parse: refusals too."""
    for index, arg in enumerate(args_list):
        value = None
        if arg == "--lang" and index + 1 < len(args_list):
            value = args_list[index + 1]
        elif arg.startswith("--lang="):
            value = arg.partition("=")[2]
        if value in ("en", "ja"):
            return value
    return default_lang()


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command on `argv` (default: the process's own arguments); the exit status."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")
    status = _command(list(sys.argv[1:] if argv is None else argv))
    if argv is None:
        # The command line's own run: the interpreter shuts down next, and its garbage
        # collections would walk every object the imports made (asyncio, dnspython...), about
        # 35 ms here. Frozen, they are skipped; the OS takes the memory back all the same.
        import gc

        gc.freeze()
    return status


def _command(args_list: list[str]) -> int:
    if "--version" in args_list:
        print(f"{PROG} {_version()}")
        return EXIT_OK
    try:
        return _main(args_list)
    except _UsageError as error:
        return _fail(EXIT_USAGE, _lang_of(args_list), "cli.usage", message=str(error))
    except KeyboardInterrupt:
        return _fail(130, _lang_of(args_list), "cli.interrupted")
    except BrokenPipeError:
        _silence_stdout()  # the reader (e.g. `head`) left; say nothing more
        return EXIT_OK
    except Exception as error:  # one line, never a traceback
        return _refuse(error, _lang_of(args_list))


def _refuse(error: Exception, lang: str) -> int:
    """A refused value (exit 2), or an internal error (exit 3: nothing definite learnt).
    The model is imported here, not at start-up: `--version` and `--help` need none of it."""
    from .model import InputError

    if isinstance(error, InputError):
        from . import texts

        print(f"{PROG}: {texts.input_error_text(error, lang)}", file=sys.stderr)
        return EXIT_USAGE
    detail = str(error)[:200]
    error_name = type(error).__name__
    return _fail(EXIT_INCONCLUSIVE, lang, "cli.internal_error", error=error_name, detail=detail)


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def _main(argv: list[str]) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    lang = args.lang or default_lang()
    if args.from_log or args.from_domain_info:
        if args.domain:
            return _fail(EXIT_USAGE, lang, "cli.domain_and_batch")
        if args.http or args.docroot is not None or args.watch or args.watch_for is not None:
            return _fail(EXIT_USAGE, lang, "cli.batch_single_only")
        return _batch(args, lang)
    if args.domain is None:
        return _fail(EXIT_USAGE, lang, "cli.domain_required")
    if args.user is not None or args.rate is not None:
        return _fail(EXIT_USAGE, lang, "cli.batch_only")

    from .engine import plan

    request = request_from(args)
    planned = plan(request)
    import asyncio

    if args.watch_for is not None and not args.watch:
        return _fail(EXIT_USAGE, lang, "cli.watch_for_alone")
    if args.watch:
        return asyncio.run(_run_and_watch(request, planned, args, lang))
    result = asyncio.run(_run(request, planned, args.proxy))
    if args.http or args.docroot is not None:
        try:
            probe = asyncio.run(_probe(result, args.docroot))
        except OSError as error:
            return _docroot_refused(error, args.docroot, lang)
        return _write_with_probe(result, probe, args, lang)
    _print_result(result, args, lang)
    return EXIT_BY_VERDICT[str(result.verdict)]


def _print_result(result: CheckResult, args: argparse.Namespace, lang: str) -> None:

    from .zone_records_report import result_json, result_markdown, result_text

    if args.json:
        import json

        output = json.dumps(result_json(result), ensure_ascii=False, indent=2) + "\n"
    elif args.markdown:
        output = result_markdown(result, lang, docs_base=args.docs_url)
    else:
        output = result_text(result, lang)
    sys.stdout.write(output)
    sys.stdout.flush()


async def _probe(result: CheckResult, docroot: str | None) -> ProbeRun:
    """The HTTP probe of every name the DNS check found addresses for (httpx loads only here)."""
    from pathlib import Path

    from .http_probe import ProbeSettings, ProbeTarget, probe_names

    targets = [ProbeTarget(row.name, a=row.a, aaaa=row.aaaa) for row in result.rows]
    settings = ProbeSettings(provider=str(result.provider))
    root = Path(docroot) if docroot is not None else None
    return await probe_names(targets, result.servers, settings, docroot=root)


def _docroot_refused(error: OSError, docroot: str | None, lang: str) -> int:
    """--docroot could not be used: a usage error, in the reader's language."""
    if docroot is None:
        raise error
    key = "cli.docroot_failed"
    if isinstance(error, FileNotFoundError | NotADirectoryError):
        key = "cli.docroot_missing"
    elif isinstance(error, PermissionError):
        key = "cli.docroot_denied"
    return _fail(EXIT_USAGE, lang, key, path=docroot, error=type(error).__name__)


def _write_with_probe(
    result: CheckResult, probe: ProbeRun, args: argparse.Namespace, lang: str
) -> int:
    """The check and the probe in one output; the probe's findings count in the verdict.
    The check's part is what it prints without the probe, records to enter included."""
    from . import http_probe_report as probe_report
    from .zone_records_report import result_json, result_markdown, result_text

    verdict = probe_report.combined_verdict(result, probe)
    if args.json:
        import json

        document = probe_report.with_probe(result_json(result), result, probe)
        output = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    elif args.markdown:
        output = result_markdown(result, lang, docs_base=args.docs_url) + "\n"
        output += probe_report.to_markdown(probe, lang, docs_base=args.docs_url)
        output += probe_report.verdict_after(result, verdict, lang, markdown=True)
    else:
        output = result_text(result, lang) + "\n" + probe_report.to_text(probe, lang)
        output += probe_report.verdict_after(result, verdict, lang)
    sys.stdout.write(output)
    sys.stdout.flush()
    return EXIT_BY_VERDICT[str(verdict)]


def _batch(args: argparse.Namespace, lang: str) -> int:
    import asyncio

    from . import batch

    rate = batch.DEFAULT_RATE if args.rate is None else args.rate
    if not 0 < rate <= batch.MAX_RATE:
        return _fail(EXIT_USAGE, lang, "cli.bad_rate", most=f"{batch.MAX_RATE:g}")
    options = batch.BatchOptions(
        resolvers=args.resolver,
        provider=args.provider,
        lang=lang,
        output="json" if args.json else "markdown" if args.markdown else "text",
        rate=rate,
        timeout=args.timeout,
        max_in_flight=args.max_in_flight,
        docs_url=args.docs_url,
    )
    request_from_batch(args)
    try:
        chunks, close = batch.open_input(args.from_log or args.from_domain_info)
    except OSError as error:
        return _fail(EXIT_USAGE, lang, "batch.unreadable", detail=error.strerror or "")
    reader = batch.plans_from_log if args.from_log else batch.plans_from_domain_info
    writer = batch.BatchWriter(sys.stdout, options)
    progress = batch.Progress(sys.stderr, lang) if sys.stderr.isatty() else None
    try:
        verdict = asyncio.run(
            _run_batch(batch, reader(chunks, args.user), writer, options, progress, args.proxy)
        )
    except batch.BatchInputError as error:
        from . import texts

        writer.finish()
        print(f"{PROG}: {texts.log_error_text(error.key, lang, **error.params)}", file=sys.stderr)
        return EXIT_USAGE
    finally:
        close()
        if progress is not None:
            progress.close()
    if not writer.summary:
        return _fail(EXIT_USAGE, lang, "batch.no_names")
    return EXIT_BY_VERDICT[str(verdict)]


def request_from_batch(args: argparse.Namespace) -> None:
    """Refuse a bad --provider, --resolver or time limit before reading any input."""
    from .engine import build_request

    build_request(
        "example.com",
        provider=args.provider,
        resolvers=args.resolver,
        any_https_resolver=True,
        timeout=args.timeout,
        max_in_flight=args.max_in_flight,
    )


async def _run_batch(
    batch: Any, plans: Any, writer: Any, options: Any, progress: Any, proxy: str | None
) -> Any:
    from .native_transport import NativeTransport

    transport = NativeTransport(proxy=proxy, on_waiting=_load_for_answers)
    try:
        return await batch.run_batch(plans, transport, writer, options, progress)
    finally:
        await transport.aclose()


def request_from(args: argparse.Namespace) -> CheckRequest:
    """The check the command line describes, built as the page builds its own."""
    from .engine import build_request

    return build_request(
        args.domain,
        servers=args.server,
        provider=args.provider,
        addons=args.addon,
        subdomains=args.subdomain,
        resolvers=args.resolver,
        any_https_resolver=True,
        service_subdomains=args.service_subdomains,
        autodiscover=args.autodiscover,
        reseller=args.reseller,
        timeout=args.timeout,
        max_in_flight=args.max_in_flight,
    )


async def _run(
    request: CheckRequest, planned: list[PlannedName], proxy: str | None = None
) -> CheckResult:
    from .engine import run_check
    from .native_transport import NativeTransport

    transport = NativeTransport(proxy=proxy, on_waiting=_load_for_answers)
    try:
        return await run_check(request, transport, planned=planned)
    finally:
        await transport.aclose()


def watch_clock() -> Clock:
    """The watch's clock (tests put a fake one here)."""
    from .watch import SystemClock

    return SystemClock()


async def _run_and_watch(
    request: CheckRequest, planned: list[PlannedName], args: argparse.Namespace, lang: str
) -> int:
    """Check, print the result, then watch the failing names: only changes are printed (as JSON
    lines with --json), and the status is the last round's (0 as soon as every name is fine)."""
    from .engine import Rechecker, run_check
    from .model import verdict_of
    from .native_transport import NativeTransport
    from .watch import DEFAULT_WATCH_FOR, state_of, watch
    from .watch_report import event_lines

    clock = watch_clock()
    transport = NativeTransport(proxy=args.proxy, on_waiting=_load_for_answers)
    try:
        result = await run_check(request, transport, planned=planned)
        _print_result(result, args, lang)
        recheck = Rechecker(request, result, transport)
        first = [state_of(row) for row in result.rows]
        watch_for = DEFAULT_WATCH_FOR if args.watch_for is None else args.watch_for
        shown_schedule = False
        async for event in watch(recheck, first, clock, watch_for=watch_for):
            if event.kind == "schedule" and shown_schedule:
                continue  # the first plan is shown; after it, only what changed
            shown_schedule = True
            if args.json:
                import json

                lines = [json.dumps(event.to_dict(), ensure_ascii=False)]
            else:
                lines = event_lines(event, lang)
            sys.stdout.write("".join(line + "\n" for line in lines))
            sys.stdout.flush()
    finally:
        await transport.aclose()
    return EXIT_BY_VERDICT[str(verdict_of(recheck.rows.values()))]


def _load_for_answers() -> None:
    """Import what reading the answers and writing the report need, once the first queries are
    out: done before sending them, it would delay them by as long."""
    import json  # noqa: F401

    from . import report  # noqa: F401
    from .wire import load_answer_types

    load_answer_types()
