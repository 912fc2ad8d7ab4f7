"""Every sentence the checker shows a person, in English and Japanese.

Keys are stable; the words may improve. DNS data inside a sentence is plain text: whoever renders
it (terminal, Markdown, web page) must treat it as text, never as markup.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .findings import Detail
    from .wire import LookupFailure

LANGS = ("en", "ja")


def normalise_lang(lang: object) -> str:
    text = str(lang).strip().lower() if isinstance(lang, str) else ""
    return "ja" if text.startswith("ja") else "en"


def docs_anchor(code: str) -> str:
    """Path of a finding's section, relative to the docs root of either language."""
    return f"findings/#{code}"


TITLES: dict[str, tuple[str, str]] = {
    "NXDOMAIN": ("Name does not exist", "名前が存在しない"),
    "NO_ADDRESS": ("No address", "アドレスがない"),
    "ELSEWHERE": ("Points to another server", "別のサーバーを指している"),
    "PARTIAL": ("Partly points elsewhere", "一部が別のサーバーを指している"),
    "AAAA_ELSEWHERE": ("IPv6 points elsewhere", "IPv6（AAAA）が別の場所を指している"),
    "SERVFAIL": ("Resolver failure (SERVFAIL)", "リゾルバーのエラー（SERVFAIL）"),
    "CAA_FORBIDS": ("CAA forbids the CA", "CAA が認証局を許可していない"),
    "RESOLVERS_DISAGREE": ("Resolvers disagree", "リゾルバーの回答が食い違う"),
    "LOOKUP_FAILED": ("Lookup failed", "問い合わせ失敗"),
}

EXPLANATIONS: dict[str, tuple[str, str]] = {
    "NXDOMAIN": (
        "Public DNS has no such name, so the CA cannot validate it.",
        "公開 DNS にこの名前がないため、認証局は検証できません。",
    ),
    "NO_ADDRESS": (
        "The name exists but has no A or AAAA record, so the CA cannot reach it.",
        "名前はありますが A / AAAA レコードがなく、認証局が到達できません。",
    ),
    "ELSEWHERE": (
        "Its A records point to another server, so HTTP validation never reaches this one.",
        "A レコードが別のサーバーを指しているため、HTTP 検証がこのサーバーに届きません。",
    ),
    "PARTIAL": (
        "Some of its A records are not this server's; the CA may pick one of those and fail.",
        "A レコードの一部がこのサーバーのものではなく、認証局がそちらを選ぶと失敗します。",
    ),
    "AAAA_ELSEWHERE": (
        "It has an IPv6 address that is not this server's; validators try IPv6 first.",
        "このサーバーのものではない IPv6 アドレスがあります。検証は IPv6 が優先されます。",
    ),
    "SERVFAIL": (
        "The resolver could not get an answer (DNSSEC, a CNAME loop or a broken delegation).",
        "リゾルバーが回答を得られませんでした（DNSSEC、CNAME のループ、委任の不備など）。",
    ),
    "CAA_FORBIDS": (
        "The CAA records that apply do not let the chosen CA issue a certificate.",
        "適用される CAA レコードが、選んだ認証局による発行を許可していません。",
    ),
    "RESOLVERS_DISAGREE": (
        "Public resolvers return different addresses; a change may still be spreading.",
        "公開リゾルバーごとに回答が異なります。変更がまだ反映途中かもしれません。",
    ),
    "LOOKUP_FAILED": (
        "No usable answer came back, so this name could not be checked.",
        "使える回答が得られず、この名前は確認できませんでした。",
    ),
}

WHY: dict[str, tuple[str, str]] = {
    "domain": ("the account's domain", "アカウントのドメイン"),
    "www": ("www. is added to every domain", "すべてのドメインに www. が付く"),
    "mail": ("mail. is added for every DNS zone", "DNS ゾーンごとに mail. が付く"),
    "service:cpanel": ("service subdomain for cPanel", "cPanel のサービスサブドメイン"),
    "service:webmail": ("service subdomain for Webmail", "Webmail のサービスサブドメイン"),
    "service:webdisk": ("service subdomain for Web Disk", "Web Disk のサービスサブドメイン"),
    "service:cpcalendars": (
        "service subdomain for Calendars",
        "カレンダーのサービスサブドメイン",
    ),
    "service:cpcontacts": ("service subdomain for Contacts", "連絡先のサービスサブドメイン"),
    "autodiscover": (
        "service subdomain for mail client set-up (autodiscover)",
        "メールソフト自動設定のサービスサブドメイン（autodiscover）",
    ),
    "reseller:whm": (
        "service subdomain for WHM (reseller account)",
        "WHM のサービスサブドメイン（リセラーアカウント）",
    ),
    "addon": ("addon domain", "アドオンドメイン"),
    "subdomain": ("subdomain", "サブドメイン"),
    "subdomain:www": ("www. of a subdomain", "サブドメインの www."),
}

# Sentences with {placeholders}; every value filled in is plain text from input or DNS.
SENTENCES: dict[str, tuple[str, str]] = {
    # findings
    "nxdomain": ("{name} does not exist in public DNS.", "{name} は公開 DNS に存在しません。"),
    "nxdomain_target": (
        "The CNAME chain ends at {target}, which does not exist.",
        "CNAME の行き先 {target} が存在しません。",
    ),
    "no_address": (
        "{name} exists but has neither A nor AAAA records.",
        "{name} はありますが、A レコードも AAAA レコードもありません。",
    ),
    "elsewhere": (
        "A: {addresses}; the server is {servers}.",
        "A: {addresses}、サーバーは {servers} です。",
    ),
    "partial": (
        "A on the server: {matching}; A elsewhere: {others}.",
        "サーバーの A: {matching}、別の A: {others}。",
    ),
    "aaaa_elsewhere": (
        "AAAA: {addresses}; the server is {servers}.",
        "AAAA: {addresses}、サーバーは {servers} です。",
    ),
    "aaaa_no_server_v6": (
        "AAAA: {addresses}, but no server IPv6 address is known ({servers}): remove the AAAA "
        "record or give the server's IPv6 address.",
        "AAAA: {addresses} がありますが、サーバーの IPv6 アドレスが不明です（{servers}）。"
        "AAAA レコードを消すか、サーバーの IPv6 アドレスを指定してください。",
    ),
    "servfail": (
        "{resolver} answered SERVFAIL for {rdtype}{ede_part}.",
        "{resolver} が {rdtype} に SERVFAIL を返しました{ede_part}。",
    ),
    "disagree": ("{rdtype} differs: {views}.", "{rdtype} の回答が異なります: {views}。"),
    "caa_not_listed": (
        "CAA at {node} allows only {detail}, not {provider} ({records}).",
        "{node} の CAA は {detail} だけを許可しており、{provider} は含まれません（{records}）。",
    ),
    "caa_forbids_all": (
        "CAA at {node} forbids every CA ({records}).",
        "{node} の CAA はすべての認証局を禁止しています（{records}）。",
    ),
    "caa_critical": (
        "CAA at {node} has the unknown critical tag {detail}, so no CA may issue ({records}).",
        "{node} の CAA に未知の critical タグ {detail} があり、どの認証局も発行できません"
        "（{records}）。",
    ),
    "caa_method": (
        "CAA at {node} allows {provider} only with validationmethods={detail}; AutoSSL "
        "validates over HTTP (http-01).",
        "{node} の CAA は {provider} を validationmethods={detail} でのみ許可しています。"
        "AutoSSL は HTTP（http-01）で検証します。",
    ),
    "failed": ("{what}: {reason}.", "{what}: {reason}。"),
    # notes
    "resolver_failed": (
        "{what}: {reason}; used the answer from {used}.",
        "{what}: {reason}。{used} の回答を使いました。",
    ),
    "no_server": (
        "Not compared with the server: no server address is known.",
        "サーバーのアドレスが不明なため、比較していません。",
    ),
    # lookup failure reasons
    "fail_http_status": (
        "{resolver} answered HTTP {detail}",
        "{resolver} が HTTP {detail} を返しました",
    ),
    "fail_http_429": (
        "{resolver} answered HTTP 429 (too many requests)",
        "{resolver} が HTTP 429（リクエストが多すぎる）を返しました",
    ),
    "fail_http_404": (
        "{resolver} answered HTTP 404 (is the resolver URL right?)",
        "{resolver} が HTTP 404 を返しました（リゾルバーの URL は正しいですか）",
    ),
    "fail_html": (
        "{resolver} sent a web page instead of a DNS message (a captive portal or proxy?)",
        "{resolver} から DNS メッセージではなく Web ページが返りました"
        "（キャプティブポータルやプロキシ？）",
    ),
    "fail_content_type": (
        "{resolver} answered with {detail} instead of a DNS message",
        "{resolver} が DNS メッセージではなく {detail} を返しました",
    ),
    "fail_empty": ("{resolver} sent an empty answer", "{resolver} の回答が空でした"),
    "fail_not_dns": (
        "{resolver} sent something that is not a DNS message",
        "{resolver} の回答は DNS メッセージではありませんでした",
    ),
    "fail_not_response": (
        "{resolver} sent a DNS query back instead of an answer",
        "{resolver} が回答ではなく問い合わせを返しました",
    ),
    "fail_wrong_id": (
        "{resolver}'s answer carried a different message ID",
        "{resolver} の回答のメッセージ ID が違いました",
    ),
    "fail_wrong_question": (
        "{resolver}'s answer was for a different question",
        "{resolver} の回答は別の問い合わせへのものでした",
    ),
    "fail_truncated": (
        "{resolver}'s answer was truncated (TC bit)",
        "{resolver} の回答が途中で切れていました（TC ビット）",
    ),
    "fail_rcode": ("{resolver} answered {detail}", "{resolver} が {detail} を返しました"),
    "fail_timeout": (
        "no answer from {resolver} within {detail} s",
        "{resolver} から {detail} 秒以内に回答がありませんでした",
    ),
    "fail_unresponsive": (
        "not asked: {resolver} gave no answer within {detail} s to earlier queries",
        "問い合わせず: {resolver} は先の問い合わせに {detail} 秒以内に回答しませんでした",
    ),
    "fail_closed": (
        "{resolver} closed the connection without answering",
        "{resolver} が回答せずに接続を切りました",
    ),
    "fail_refused": (
        "{resolver} refused the connection",
        "{resolver} に接続を拒否されました",
    ),
    "fail_tls": (
        "the TLS certificate of {resolver} could not be verified",
        "{resolver} の TLS 証明書を検証できませんでした",
    ),
    "fail_network": (
        "could not reach {resolver}{detail_part}",
        "{resolver} に接続できませんでした{detail_part}",
    ),
    "fail_proxy": (
        "could not reach {resolver} through the proxy ({detail})",
        "プロキシ経由で {resolver} に接続できませんでした（{detail}）",
    ),
    "fail_too_large": (
        "{resolver} sent an answer too large to be a DNS message",
        "{resolver} の回答が DNS メッセージとしては大きすぎました",
    ),
    "fail_blocked": (
        "{resolver} is not an allowed resolver address",
        "{resolver} は使用を認めていないリゾルバーです",
    ),
    "fail_deadline": (
        "no answer from {resolver} before the check's {detail} s time limit",
        "チェック全体の制限時間 {detail} 秒までに {resolver} から回答がありませんでした",
    ),
    "fail_internal": (
        "the lookup via {resolver} stopped on an internal error ({detail})",
        "{resolver} への問い合わせが内部エラーで止まりました（{detail}）",
    ),
    "after_retry": ("{reason} (also after one retry)", "{reason}（再試行後も同じ）"),
}

LABELS: dict[str, tuple[str, str]] = {
    "verdict.ok": (
        "OK: every name resolves to the server and CAA allows the CA.",
        "問題なし: すべての名前がサーバーを指し、CAA も認証局を許可しています。",
    ),
    "verdict.action_needed": (
        "Action needed: some names will fail validation.",
        "対応が必要: 検証に失敗する名前があります。",
    ),
    "verdict.inconclusive": (
        "Inconclusive: some lookups failed; nothing definite is wrong.",
        "判定不能: 一部の問い合わせに失敗しました（確実な問題は見つかっていません）。",
    ),
    "heading": ("AutoSSL DNS check", "AutoSSL DNS チェック"),
    "domain": ("Domain", "ドメイン"),
    "server": ("Server", "サーバー"),
    "server.apex": (
        "(taken from {domain}'s own A/AAAA records; pass --server to set it)",
        "（{domain} 自身の A/AAAA レコードから取得。--server で指定できます）",
    ),
    "server.apex.page": (
        "(taken from {domain}'s own A/AAAA records)",
        "（{domain} 自身の A/AAAA レコードから取得）",
    ),
    "server.unknown": ("unknown", "不明"),
    "provider": ("CA", "認証局"),
    "resolvers": ("Resolvers", "リゾルバー"),
    "checked_at": ("Checked at", "確認日時"),
    "queries": ("DNS queries", "DNS 問い合わせ数"),
    "col.name": ("Name", "名前"),
    "col.status": ("Status", "状態"),
    "col.why": ("Why AutoSSL asks for it", "AutoSSL が含める理由"),
    "col.addresses": ("Addresses", "アドレス"),
    "col.cname": ("CNAME", "CNAME"),
    "status.ok": ("ok", "OK"),
    "none": ("none", "なし"),
    "details": ("Details", "詳細"),
    "notes": ("Notes", "補足"),
    "what_to_do": ("What to do", "対処方法"),
    "exclude_heading": (
        "Names to exclude from AutoSSL if the DNS is not fixed",
        "DNS を直さない場合に AutoSSL から除外する名前",
    ),
    "docs": ("Explained at", "解説"),
}

ADVICE: dict[str, tuple[str, str]] = {
    "fix_dns": (
        "Fix the DNS where the zone is hosted: point the A (and AAAA) records of these names at "
        "{servers}, or delete records that should not exist. Then run AutoSSL again.",
        "ゾーンを管理している DNS で、これらの名前の A（と AAAA）レコードを {servers} に向けるか、"
        "不要なレコードを削除してから AutoSSL を再実行してください。",
    ),
    "fix_aaaa": (
        "Remove AAAA records that are not the server's, or give the server's IPv6 address: the "
        "CA tries IPv6 first.",
        "サーバーのものではない AAAA レコードを削除するか、サーバーの IPv6 アドレスを指定して"
        "ください（認証局は IPv6 を先に試します）。",
    ),
    "fix_caa": (
        "Add a CAA record that allows {provider} ({issuers}) on the node named above, or remove "
        "the one that forbids it.",
        "上に示したノードに {provider}（{issuers}）を許可する CAA レコードを追加するか、"
        "禁止している CAA レコードを削除してください。",
    ),
    "fix_servfail": (
        "SERVFAIL usually means broken DNSSEC or delegation: check the DS records at the registrar "
        "and the name servers.",
        "SERVFAIL は多くの場合 DNSSEC か委任の不備です。レジストラの DS レコードとネームサーバーを"
        "確認してください。",
    ),
    "wait_disagree": (
        "Resolvers disagree: if you changed DNS recently, wait for the TTL shown and check again.",
        "リゾルバーの回答が食い違っています。最近 DNS を変更したなら、表示された TTL だけ待って"
        "再確認してください。",
    ),
    "exclude": (
        "Or exclude these names from AutoSSL: cPanel » SSL/TLS Status » select them » "
        "Exclude Domains from AutoSSL, or run one of the commands below.",
        "または、これらの名前を AutoSSL から除外します: cPanel »「SSL/TLS Status」» 名前を選択 »"
        "「Exclude Domains from AutoSSL」、または下のコマンドを実行してください。",
    ),
    "retry_lookup": (
        "Some lookups failed: run the check again, or try another resolver.",
        "一部の問い合わせに失敗しました。もう一度実行するか、別のリゾルバーで試してください。",
    ),
    "all_good": (
        "Nothing to fix in DNS. If AutoSSL still fails, read its log for the names it reports.",
        "DNS に直すところはありません。それでも AutoSSL が失敗する場合は、ログに出ている名前を"
        "確認してください。",
    ),
}


def _pick(table: Mapping[str, tuple[str, str]], key: str, lang: str) -> str:
    pair = table.get(key)
    if pair is None:
        return key
    return pair[1] if normalise_lang(lang) == "ja" else pair[0]


def title(code: str, lang: str) -> str:
    return _pick(TITLES, code, lang)


def explanation(code: str, lang: str) -> str:
    return _pick(EXPLANATIONS, code, lang)


def label(key: str, lang: str, **params: str) -> str:
    text = _pick(LABELS, key, lang)
    return text.format(**params) if params else text


def advice_text(key: str, lang: str, **params: str) -> str:
    return _pick(ADVICE, key, lang).format(**params)


def why_text(why: str, lang: str) -> str:
    if why in WHY:
        return _pick(WHY, why, lang)
    if why.startswith("addon:"):
        base = why.removeprefix("addon:")
        inner = _pick(WHY, base, lang) if base in WHY else base
        return (
            f"{inner}（アドオンドメイン）"
            if normalise_lang(lang) == "ja"
            else f"{inner} (addon domain)"
        )
    return why


def _fill(key: str, lang: str, params: Mapping[str, str]) -> str:
    template = _pick(SENTENCES, key, lang)
    try:
        return template.format_map(_Defaulting(params))
    except (ValueError, IndexError):
        return template


class _Defaulting(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return ""


def failure_text(failure: LookupFailure, lang: str) -> str:
    params = {"resolver": failure.resolver, "detail": failure.detail}
    key = f"fail_{failure.kind}"
    if failure.kind == "http_status" and failure.detail in ("429", "404"):
        key = f"fail_http_{failure.detail}"
    if failure.kind == "network":
        params["detail_part"] = f" ({failure.detail})" if failure.detail else ""
    if key not in SENTENCES:
        key = "fail_internal"
    text = _fill(key, lang, params)
    if failure.retried:
        text = _fill("after_retry", lang, {"reason": text})
    return text


def detail_text(detail: Detail, lang: str) -> str:
    params = dict(detail.params)
    if detail.failure is not None:
        params["reason"] = failure_text(detail.failure, lang)
    ede = params.get("ede", "")
    params["ede_part"] = (
        (f"（{ede}）" if normalise_lang(lang) == "ja" else f" ({ede})") if ede else ""
    )
    return _fill(detail.key, lang, params)


WHAT: dict[str, tuple[str, str]] = {
    "domain": ("domain", "ドメイン"),
    "addon domain": ("addon domain", "アドオンドメイン"),
    "subdomain": ("subdomain", "サブドメイン"),
    "server address": ("server address", "サーバーアドレス"),
    "resolver": ("resolver", "リゾルバー"),
    "link": ("link", "リンク"),
}

INPUT_ERRORS: dict[str, tuple[str, str]] = {
    "not_text": ("The {what} must be text.", "{what}は文字列で指定してください。"),
    "too_long_raw": (
        "The {what} is {length} characters long; anything over {limit} is refused.",
        "{what}が {length} 文字あります。{limit} 文字を超える値は受け付けません。",
    ),
    "empty": ("The {what} is empty.", "{what}が空です。"),
    "unreadable_url": (
        "'{value}' is not a URL or domain name I can read.",
        "「{value}」は URL としてもドメイン名としても読めません。",
    ),
    "no_host": (
        "'{value}' has no domain name in it.",
        "「{value}」にドメイン名が含まれていません。",
    ),
    "is_ip": (
        "'{value}' is an IP address; give the domain name instead.",
        "「{value}」は IP アドレスです。ドメイン名を指定してください。",
    ),
    "too_long_host": (
        "The {what} is longer than {limit} characters.",
        "{what}が {limit} 文字を超えています。",
    ),
    "wildcard": (
        "'{value}' is a wildcard; give a plain domain name.",
        "「{value}」はワイルドカードです。通常のドメイン名を指定してください。",
    ),
    "invalid_name": (
        "'{value}' is not a valid domain name.",
        "「{value}」は有効なドメイン名ではありません。",
    ),
    "single_label": (
        "'{value}' is not a full domain name (it needs a dot, like example.com).",
        "「{value}」は完全なドメイン名ではありません（example.com のようにドットが必要です）。",
    ),
    "server_zone": (
        "'{value}' has a zone index; give a global address.",
        "「{value}」にはゾーン ID が付いています。グローバルアドレスを指定してください。",
    ),
    "server_invalid": (
        "'{value}' is not an IPv4 or IPv6 address.",
        "「{value}」は IPv4 / IPv6 アドレスではありません。",
    ),
    "resolver_unknown": (
        "Unknown resolver '{value}': use cloudflare, google or both.",
        "不明なリゾルバー「{value}」: cloudflare、google、both のいずれかを指定してください。",
    ),
    "resolver_unknown_cli": (
        "Unknown resolver '{value}': use cloudflare, google, both or an https:// DoH URL.",
        "不明なリゾルバー「{value}」: cloudflare、google、both か https:// の DoH URL を指定して"
        "ください。",
    ),
    "resolver_plain_http": (
        "The resolver '{value}' uses plain http; only https is accepted (http only for "
        "127.0.0.1 or ::1 in tests).",
        "リゾルバー「{value}」は http です。https だけを受け付けます（http はテスト用の "
        "127.0.0.1 と ::1 のみ）。",
    ),
    "resolver_bad_url": (
        "The resolver '{value}' is not a URL I can use.",
        "リゾルバー「{value}」は使える URL ではありません。",
    ),
    "name_too_long": (
        "The name {value} would be longer than DNS allows.",
        "名前 {value} は DNS の長さの上限を超えます。",
    ),
    "too_many_names": (
        "That makes more than {limit} names to check; check fewer addon domains or subdomains "
        "at a time.",
        "確認する名前が {limit} を超えます。アドオンドメインやサブドメインを分けて"
        "確認してください。",
    ),
    "provider_unknown": (
        "Unknown provider '{value}': use letsencrypt or sectigo.",
        "不明なプロバイダー「{value}」: letsencrypt か sectigo を指定してください。",
    ),
    "no_resolver": ("At least one resolver is needed.", "リゾルバーが 1 つ以上必要です。"),
    "bad_time_limit": (
        "The time limit must be more than 0 and at most {limit} seconds.",
        "制限時間は 0 秒より長く {limit} 秒以下にしてください。",
    ),
    "bad_in_flight": (
        "The number of queries in flight must be between 1 and {limit}.",
        "同時問い合わせ数は 1 から {limit} の間にしてください。",
    ),
    "domain_missing": ("No domain given.", "ドメインが指定されていません。"),
    "param_repeated": (
        "The parameter '{value}' appears more than once.",
        "パラメーター「{value}」が複数回指定されています。",
    ),
    "param_bad_value": (
        "The parameter '{name}' has an unknown value '{value}'.",
        "パラメーター「{name}」の値「{value}」は使えません。",
    ),
    "link_too_long": (
        "The link is too long ({length} characters; at most {limit}).",
        "リンクが長すぎます（{length} 文字。上限は {limit} 文字）。",
    ),
    "link_unreadable": (
        "The link's parameters cannot be read.",
        "リンクのパラメーターを読み取れません。",
    ),
}


def input_error_text(key: str, params: Mapping[str, str], lang: str) -> str:
    filled = dict(params)
    if "what" in filled:
        filled["what"] = _pick(WHAT, filled["what"], lang)
    template = _pick(INPUT_ERRORS, key, lang)
    try:
        return template.format_map(_Defaulting(filled))
    except (ValueError, IndexError):
        return template
