"""Every word the checker shows a person, in Japanese and English.

Keys are stable; the words may improve. A missing key, or a sentence whose placeholders are not
exactly the parameters given, raises `TextError`: a reader never sees a key or a blank instead of
words. Values from input or DNS are plain text inside a sentence: whoever renders it (terminal,
Markdown, web page) must treat it as text, never as markup.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from typing import Final

from .model import (
    CaaRecord,
    Code,
    Ede,
    Fact,
    InputError,
    LookupFailure,
    Param,
    Provider,
    QueryRef,
    ResolverId,
    ResolverView,
    Rule,
    Subject,
    Verdict,
    Why,
)

LANGS = ("ja", "en")

Pair = tuple[str, str]  # (English, Japanese)


class TextError(LookupError):
    """A text key is missing, or its placeholders differ from the parameters given."""


def normalise_lang(lang: object) -> str:
    text = str(lang).strip().lower() if isinstance(lang, str) else ""
    return "ja" if text.startswith("ja") else "en"


def docs_anchor(code: str) -> str:
    """Path of a finding's section, relative to the docs root of either language."""
    return f"findings/#{code}"


TITLES: dict[Code, Pair] = {
    Code.NXDOMAIN: ("Name does not exist", "名前が存在しない"),
    Code.NO_ADDRESS: ("No address", "アドレスがない"),
    Code.ELSEWHERE: ("Points to another server", "別のサーバーを指している"),
    Code.PARTIAL: ("Partly points elsewhere", "一部が別のサーバーを指している"),
    Code.AAAA_ELSEWHERE: ("IPv6 points elsewhere", "IPv6（AAAA）が別の場所を指している"),
    Code.SERVFAIL: ("Resolver failure (SERVFAIL)", "リゾルバーのエラー（SERVFAIL）"),
    Code.CAA_FORBIDS: ("CAA forbids the CA", "CAA が認証局を許可していない"),
    Code.CAA_ACCOUNT_BOUND: (
        "CAA allows only one Let's Encrypt account",
        "CAA が特定の Let's Encrypt アカウントだけを許可している",
    ),
    Code.RESOLVERS_DISAGREE: ("Resolvers disagree", "リゾルバーの回答が食い違う"),
    Code.LOOKUP_FAILED: ("Lookup failed", "問い合わせ失敗"),
}

EXPLANATIONS: dict[Code, Pair] = {
    Code.NXDOMAIN: (
        "Public DNS has no such name, so the CA cannot validate it.",
        "公開 DNS にこの名前がないため、認証局は検証できません。",
    ),
    Code.NO_ADDRESS: (
        "The name exists but has no A or AAAA record, so the CA cannot reach it.",
        "名前はありますが A / AAAA レコードがなく、認証局が到達できません。",
    ),
    Code.ELSEWHERE: (
        "Its A records point to another server, so HTTP validation never reaches this one.",
        "A レコードが別のサーバーを指しているため、HTTP 検証がこのサーバーに届きません。",
    ),
    Code.PARTIAL: (
        "Some of its A records are not this server's; the CA may pick one of those and fail.",
        "A レコードの一部がこのサーバーのものではなく、認証局がそちらを選ぶと失敗します。",
    ),
    Code.AAAA_ELSEWHERE: (
        "It has an IPv6 address that is not this server's; validators try IPv6 first.",
        "このサーバーのものではない IPv6 アドレスがあります。検証は IPv6 が優先されます。",
    ),
    Code.SERVFAIL: (
        "The resolver could not get an answer (DNSSEC, a CNAME loop or a broken delegation).",
        "リゾルバーが回答を得られませんでした（DNSSEC、CNAME のループ、委任の不備など）。",
    ),
    Code.CAA_FORBIDS: (
        "The CAA records that apply do not let the chosen CA issue a certificate.",
        "適用される CAA レコードが、選んだ認証局による発行を許可していません。",
    ),
    Code.CAA_ACCOUNT_BOUND: (
        "The CAA records let Let's Encrypt issue only to one ACME account (accounturi); AutoSSL "
        "gets a certificate only if that is this server's account.",
        "CAA レコードが Let's Encrypt による発行を 1 つの ACME アカウント（accounturi）に限定して"
        "います。それがこのサーバーのアカウントでなければ AutoSSL は証明書を取得できません。",
    ),
    Code.RESOLVERS_DISAGREE: (
        "Public resolvers return different addresses; a change may still be spreading.",
        "公開リゾルバーごとに回答が異なります。変更がまだ反映途中かもしれません。",
    ),
    Code.LOOKUP_FAILED: (
        "No usable answer came back, so this name could not be checked.",
        "使える回答が得られず、この名前は確認できませんでした。",
    ),
}

WHY: dict[Rule, Pair] = {
    Rule.DOMAIN: ("the account's domain", "アカウントのドメイン"),
    Rule.WWW: ("www. is added to every domain", "すべてのドメインに www. が付く"),
    Rule.MAIL: ("mail. is added for every DNS zone", "DNS ゾーンごとに mail. が付く"),
    Rule.CPANEL: ("service subdomain for cPanel", "cPanel のサービスサブドメイン"),
    Rule.WEBMAIL: ("service subdomain for Webmail", "Webmail のサービスサブドメイン"),
    Rule.WEBDISK: ("service subdomain for Web Disk", "Web Disk のサービスサブドメイン"),
    Rule.CPCALENDARS: ("service subdomain for Calendars", "カレンダーのサービスサブドメイン"),
    Rule.CPCONTACTS: ("service subdomain for Contacts", "連絡先のサービスサブドメイン"),
    Rule.AUTODISCOVER: (
        "service subdomain for mail client set-up (autodiscover)",
        "メールソフト自動設定のサービスサブドメイン（autodiscover）",
    ),
    Rule.RESELLER_WHM: (
        "service subdomain for WHM (reseller account)",
        "WHM のサービスサブドメイン（リセラーアカウント）",
    ),
    Rule.SUBDOMAIN: ("subdomain", "サブドメイン"),
    Rule.SUBDOMAIN_WWW: ("www. of a subdomain", "サブドメインの www."),
}

PROVIDER_NAMES: dict[Provider, Pair] = {
    Provider.LETSENCRYPT: ("Let's Encrypt", "Let's Encrypt"),
    Provider.SECTIGO: ("Sectigo", "Sectigo"),
}

WHAT: dict[Subject, Pair] = {
    Subject.DOMAIN: ("domain", "ドメイン"),
    Subject.ADDON: ("addon domain", "アドオンドメイン"),
    Subject.SUBDOMAIN: ("subdomain", "サブドメイン"),
    Subject.SERVER: ("server address", "サーバーアドレス"),
    Subject.RESOLVER: ("resolver", "リゾルバー"),
    Subject.LINK: ("link", "リンク"),
}

# The meaning of every Extended DNS Error code RFC 8914 assigns (IANA registry, codes 0-24).
EDE_MEANINGS: dict[int, Pair] = {
    0: ("Other Error", "その他のエラー"),
    1: ("Unsupported DNSKEY Algorithm", "未対応の DNSKEY アルゴリズム"),
    2: ("Unsupported DS Digest Type", "未対応の DS ダイジェスト方式"),
    3: ("Stale Answer", "期限切れキャッシュからの回答"),
    4: ("Forged Answer", "差し替えられた回答"),
    5: ("DNSSEC Indeterminate", "DNSSEC 検証結果が不定"),
    6: ("DNSSEC Bogus", "DNSSEC 検証失敗"),
    7: ("Signature Expired", "署名の有効期限切れ"),
    8: ("Signature Not Yet Valid", "署名の有効期間前"),
    9: ("DNSKEY Missing", "DNSKEY がない"),
    10: ("RRSIGs Missing", "RRSIG がない"),
    11: ("No Zone Key Bit Set", "ゾーン鍵フラグのない鍵"),
    12: ("NSEC Missing", "NSEC がない"),
    13: ("Cached Error", "キャッシュされたエラー"),
    14: ("Not Ready", "準備中"),
    15: ("Blocked", "遮断"),
    16: ("Censored", "検閲"),
    17: ("Filtered", "フィルター"),
    18: ("Prohibited", "拒否"),
    19: ("Stale NXDOMAIN Answer", "期限切れキャッシュからの NXDOMAIN"),
    20: ("Not Authoritative", "権威を持たない"),
    21: ("Not Supported", "未対応"),
    22: ("No Reachable Authority", "到達できる権威サーバーがない"),
    23: ("Network Error", "ネットワークエラー"),
    24: ("Invalid Data", "不正なデータ"),
}

# Small pieces sentences are built from: list joining, units, queries, views, EDE.
PIECES: dict[str, Pair] = {
    "list": ("{first}, {rest}", "{first}、{rest}"),
    "list.outer": ("{first}; {rest}", "{first} ／ {rest}"),
    "query.caa": ("CAA ({node})", "CAA（{node}）"),
    "view": ("{resolver}: {answer}", "{resolver}: {answer}"),
    "view.ttl": ("{resolver}: {answer} (TTL {ttl} s)", "{resolver}: {answer}（TTL {ttl} 秒）"),
    "view.none": ("—", "—"),
    "ede": ("EDE {code} ({meaning}): {text}", "EDE {code}「{meaning}」: {text}"),
    "ede.bare": ("EDE {code} ({meaning})", "EDE {code}「{meaning}」"),
    "ede.unassigned": ("unassigned code", "未割り当てのコード"),
    "why.addon": ("{why} (addon domain {addon})", "{why}（アドオンドメイン {addon}）"),
    "why.addon_domain": ("addon domain", "アドオンドメイン"),
}

# Sentences with {placeholders}, one per fact key (model.FACT_PARAMS).
SENTENCES: dict[str, Pair] = {
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
        "A レコードは {addresses} で、サーバー（{servers}）ではありません。",
    ),
    "partial": (
        "A on the server: {matching}; A elsewhere: {others}.",
        "サーバーを指す A: {matching}。別の場所を指す A: {others}。",
    ),
    "aaaa_elsewhere": (
        "AAAA: {addresses}; the server is {servers}.",
        "AAAA レコードは {addresses} で、サーバー（{servers}）ではありません。",
    ),
    "aaaa_no_server_v6": (
        "AAAA: {addresses}, but no server IPv6 address is known ({servers}): remove the AAAA "
        "record or give the server's IPv6 address.",
        "AAAA レコード {addresses} がありますが、サーバーの IPv6 アドレスが不明です（{servers}）。"
        "AAAA レコードを消すか、サーバーの IPv6 アドレスを指定してください。",
    ),
    "servfail": (
        "{resolver} answered SERVFAIL for {queries}.",
        "{resolver} が {queries} に SERVFAIL を返しました。",
    ),
    "servfail.ede": (
        "{resolver} answered SERVFAIL for {queries}: {ede}.",
        "{resolver} が {queries} に SERVFAIL を返しました（{ede}）。",
    ),
    "disagree": ("{rdtype} differs: {views}.", "{rdtype} の回答が異なります: {views}。"),
    "caa.not_listed": (
        "CAA at {node} allows only {issuers}, not {provider} ({records}).",
        "{node} の CAA は {issuers} だけを許可しており、{provider} は含まれません（{records}）。",
    ),
    "caa.forbids_all": (
        "CAA at {node} forbids every CA ({records}).",
        "{node} の CAA はすべての認証局を禁止しています（{records}）。",
    ),
    "caa.critical": (
        "CAA at {node} has the unknown critical tag {tag}, so no CA may issue ({records}).",
        "{node} の CAA に未知の必須タグ {tag} があり、どの認証局も発行できません（{records}）。",
    ),
    "caa.method": (
        "CAA at {node} allows {provider} only with validationmethods={methods} ({records}); "
        "AutoSSL validates over HTTP (http-01).",
        "{node} の CAA は {provider} を validationmethods={methods} でのみ許可しています"
        "（{records}）。AutoSSL は HTTP（http-01）で検証します。",
    ),
    "caa.account_bound": (
        "CAA at {node} lets {provider} issue only to the ACME account {detail}. The checker "
        "cannot see this server's account: compare it with WHM » SSL/TLS » Manage AutoSSL » "
        "Provider Account ID ({records}).",
        "{node} の CAA は {provider} の発行を ACME アカウント {detail} だけに許可しています。"
        "このサーバーのアカウントはチェッカーからは見えないため、WHM »「SSL/TLS」»"
        "「Manage AutoSSL」»「Provider Account ID」と比べてください（{records}）。",
    ),
    "caa.issuer_spelling": (
        "CAA at {node} names {detail}, but Let's Encrypt accepts only letsencrypt.org written "
        "exactly so (lower case, no final dot) ({records}).",
        "{node} の CAA には {detail} と書かれていますが、Let's Encrypt が受け付けるのは"
        "そのとおりに書いた letsencrypt.org だけです（小文字、末尾のドットなし）（{records}）。",
    ),
    "caa.params_malformed": (
        "CAA at {node} names {provider}, but its parameter {detail} does not parse by "
        "Let's Encrypt's rules (tag=value; letters and digits in the tag; no spaces or ; in "
        "the value; no ; after the last parameter), so the CA skips that record ({records}).",
        "{node} の CAA は {provider} を指定していますが、パラメーター {detail} が "
        "Let's Encrypt の規則（tag=value、タグは英数字のみ、値に空白や ; を含めない、"
        "最後のパラメーターの後に ; を付けない）で読めないため、認証局はそのレコードを"
        "使いません（{records}）。",
    ),
    "caa.value_malformed": (
        "CAA at {node} names {detail}, but the value does not follow the grammar of RFC 8659, "
        "so {provider} may ignore that record ({records}).",
        "{node} の CAA には {detail} とありますが、値が RFC 8659 の文法に合っていないため、"
        "{provider} はそのレコードを無視する可能性があります（{records}）。",
    ),
    "caa.account_repeated": (
        "CAA at {node} names {provider} with accounturi given more than once ({detail}); "
        "such a record never allows issuance ({records}).",
        "{node} の CAA は {provider} に accounturi を複数指定しています（{detail}）。"
        "このようなレコードでは発行できません（{records}）。",
    ),
    "caa.account_empty": (
        "CAA at {node} names {provider} with an empty accounturi; such a record never "
        "allows issuance ({records}).",
        "{node} の CAA は {provider} に空の accounturi を指定しています。"
        "このようなレコードでは発行できません（{records}）。",
    ),
    "caa.account_foreign": (
        "CAA at {node} limits {provider} to the account {detail}, which is not a "
        "Let's Encrypt account URI, so that record never allows issuance ({records}).",
        "{node} の CAA は {provider} をアカウント {detail} に限定していますが、これは "
        "Let's Encrypt のアカウント URI ではないため、このレコードでは発行できません"
        "（{records}）。",
    ),
    "caa.method_empty": (
        "CAA at {node} names {provider} with an empty validationmethods, which allows no "
        "validation method at all ({records}).",
        "{node} の CAA は {provider} に空の validationmethods を指定しており、"
        "どの検証方法も許可されません（{records}）。",
    ),
    "caa.method_repeated": (
        "CAA at {node} names {provider} with validationmethods given more than once "
        "({detail}); Let's Encrypt never uses such a record ({records}).",
        "{node} の CAA は {provider} に validationmethods を複数指定しています（{detail}）。"
        "Let's Encrypt はこのようなレコードを使いません（{records}）。",
    ),
    "caa.method_malformed": (
        "CAA at {node} names {provider} with validationmethods={detail}, where an entry "
        "that is not a method name comes before http-01; Let's Encrypt then rejects the "
        "record ({records}).",
        "{node} の CAA は {provider} に validationmethods={detail} を指定しています。"
        "http-01 より前に検証方法名として読めない項目があるため、Let's Encrypt はこの"
        "レコードを使いません（{records}）。",
    ),
    "caa.method_case": (
        "CAA at {node} names {provider} with {detail} in validationmethods; method names "
        "are case-sensitive, and AutoSSL's HTTP validation matches only http-01 in lower "
        "case ({records}).",
        "{node} の CAA は {provider} の validationmethods に {detail} を指定しています。"
        "検証方法名は大文字と小文字を区別し、AutoSSL の HTTP 検証に合うのは小文字の "
        "http-01 だけです（{records}）。",
    ),
    "failed": ("{queries}: {reason}.", "{queries}: {reason}。"),
    # notes
    "resolver_failed": (
        "{queries}: {reason}; used the answer from {used}.",
        "{queries}: {reason}。{used} の回答を使いました。",
    ),
    "no_server": (
        "Not compared with the server: no server address is known.",
        "サーバーのアドレスが不明なため、比較していません。",
    ),
    "after_retry": ("{reason} (also after one retry)", "{reason}（再試行後も同じ）"),
    # lookup failures
    "fail.http_status": (
        "{resolver} answered HTTP {status}",
        "{resolver} が HTTP {status} を返しました",
    ),
    "fail.http_429": (
        "{resolver} answered HTTP 429 (too many requests)",
        "{resolver} が HTTP 429（リクエストが多すぎる）を返しました",
    ),
    "fail.http_404": (
        "{resolver} answered HTTP 404 (is the resolver URL right?)",
        "{resolver} が HTTP 404 を返しました（リゾルバーの URL は正しいですか）",
    ),
    "fail.html": (
        "{resolver} sent a web page instead of a DNS message (a captive portal or proxy?)",
        "{resolver} から DNS メッセージではなく Web ページが返りました"
        "（キャプティブポータルやプロキシ？）",
    ),
    "fail.content_type": (
        "{resolver} answered with {content_type} instead of a DNS message",
        "{resolver} が DNS メッセージではなく {content_type} を返しました",
    ),
    "fail.no_content_type": (
        "{resolver} answered without saying what it sent (no Content-Type)",
        "{resolver} の回答には種類の表示（Content-Type）がありませんでした",
    ),
    "fail.empty": ("{resolver} sent an empty answer", "{resolver} の回答が空でした"),
    "fail.not_dns": (
        "{resolver} sent something that is not a DNS message",
        "{resolver} の回答は DNS メッセージではありませんでした",
    ),
    "fail.not_response": (
        "{resolver} sent a DNS query back instead of an answer",
        "{resolver} が回答ではなく問い合わせを返しました",
    ),
    "fail.wrong_id": (
        "{resolver}'s answer carried message ID {id} instead of 0",
        "{resolver} の回答のメッセージ ID が 0 ではなく {id} でした",
    ),
    "fail.wrong_question": (
        "{resolver}'s answer was for a different question ({question})",
        "{resolver} の回答は別の問い合わせ（{question}）へのものでした",
    ),
    "fail.question_count": (
        "{resolver}'s answer held {count} questions instead of the one asked",
        "{resolver} の回答には問い合わせが 1 つではなく {count} 個ありました",
    ),
    "fail.truncated": (
        "{resolver}'s answer was truncated (TC bit)",
        "{resolver} の回答が途中で切れていました（TC ビット）",
    ),
    "fail.cname_loop": (
        "{resolver}'s answer holds a CNAME loop",
        "{resolver} の回答の CNAME がループしています",
    ),
    "fail.cname_chain_too_long": (
        "{resolver}'s answer holds a chain of more than {limit} CNAMEs",
        "{resolver} の回答の CNAME が {limit} 段を超えてつながっています",
    ),
    "fail.rcode": ("{resolver} answered {rcode}", "{resolver} が {rcode} を返しました"),
    "fail.timeout": (
        "no answer from {resolver} within {seconds} s",
        "{resolver} から {seconds} 秒以内に回答がありませんでした",
    ),
    "fail.unresponsive": (
        "not asked: {resolver} gave no answer within {seconds} s to earlier queries",
        "問い合わせず: {resolver} は先の問い合わせに {seconds} 秒以内に回答しませんでした",
    ),
    "fail.closed": (
        "{resolver} closed the connection without answering",
        "{resolver} が回答せずに接続を切りました",
    ),
    "fail.refused": ("{resolver} refused the connection", "{resolver} に接続を拒否されました"),
    "fail.tls": (
        "the TLS certificate of {resolver} could not be verified",
        "{resolver} の TLS 証明書を検証できませんでした",
    ),
    "fail.tls.cause": (
        "the TLS certificate of {resolver} could not be verified: {cause}",
        "{resolver} の TLS 証明書を検証できませんでした（理由: {cause}）",
    ),
    "fail.network": ("could not reach {resolver}", "{resolver} に接続できませんでした"),
    "fail.network.cause": (
        "could not reach {resolver} ({cause})",
        "{resolver} に接続できませんでした（{cause}）",
    ),
    "fail.too_large": (
        "{resolver} sent an answer too large to be a DNS message",
        "{resolver} の回答が DNS メッセージとしては大きすぎました",
    ),
    "fail.blocked": (
        "{resolver} is not an allowed resolver address",
        "{resolver} は使用を認めていないリゾルバーです",
    ),
    "fail.deadline": (
        "no answer from {resolver} before the check's {seconds} s time limit",
        "チェック全体の制限時間 {seconds} 秒までに {resolver} から回答がありませんでした",
    ),
    "fail.internal": (
        "the lookup via {resolver} stopped on an internal error ({error})",
        "{resolver} への問い合わせが内部エラーで止まりました（{error}）",
    ),
    # refused input
    "input.not_text": ("The {what} must be text.", "{what}は文字列で指定してください。"),
    "input.too_long_raw": (
        "The {what} is {length} characters long; anything over {limit} is refused.",
        "{what}が {length} 文字あります。{limit} 文字を超える値は受け付けません。",
    ),
    "input.empty": ("The {what} is empty.", "{what}が空です。"),
    "input.unreadable_url": (
        "'{value}' is not a URL or domain name I can read.",
        "「{value}」は URL としてもドメイン名としても読めません。",
    ),
    "input.no_host": (
        "'{value}' has no domain name in it.",
        "「{value}」にドメイン名が含まれていません。",
    ),
    "input.is_ip": (
        "'{value}' is an IP address; give the domain name instead.",
        "「{value}」は IP アドレスです。ドメイン名を指定してください。",
    ),
    "input.too_long_host": (
        "The {what} is longer than {limit} characters.",
        "{what}が {limit} 文字を超えています。",
    ),
    "input.wildcard": (
        "'{value}' is a wildcard; give a plain domain name.",
        "「{value}」はワイルドカードです。通常のドメイン名を指定してください。",
    ),
    "input.invalid_name": (
        "'{value}' is not a valid domain name.",
        "「{value}」は有効なドメイン名ではありません。",
    ),
    "input.single_label": (
        "'{value}' is not a full domain name (it needs a dot, like example.com).",
        "「{value}」は完全なドメイン名ではありません（example.com のようにドットが必要です）。",
    ),
    "input.server_zone": (
        "'{value}' has a zone index; give a global address.",
        "「{value}」にはゾーン ID が付いています。グローバルアドレスを指定してください。",
    ),
    "input.server_invalid": (
        "'{value}' is not an IPv4 or IPv6 address.",
        "「{value}」は IPv4 / IPv6 アドレスではありません。",
    ),
    "input.resolver_unknown": (
        "Unknown resolver '{value}': use cloudflare, google or both.",
        "不明なリゾルバー「{value}」: cloudflare、google、both のいずれかを指定してください。",
    ),
    "input.resolver_unknown_cli": (
        "Unknown resolver '{value}': use cloudflare, google, both or an https:// DoH URL.",
        "不明なリゾルバー「{value}」: cloudflare、google、both か https:// の DoH URL を指定して"
        "ください。",
    ),
    "input.resolver_plain_http": (
        "The resolver '{value}' uses plain http; only https is accepted (http only for "
        "127.0.0.1 or ::1 in tests).",
        "リゾルバー「{value}」は http です。https だけを受け付けます（http はテスト用の "
        "127.0.0.1 と ::1 のみ）。",
    ),
    "input.resolver_bad_url": (
        "The resolver '{value}' is not a URL I can use.",
        "リゾルバー「{value}」は使える URL ではありません。",
    ),
    "input.name_too_long": (
        "The name {value} would be longer than DNS allows.",
        "名前 {value} は DNS の長さの上限を超えます。",
    ),
    "input.too_many_names": (
        "That makes more than {limit} names to check; check fewer addon domains or subdomains "
        "at a time.",
        "確認する名前が {limit} を超えます。アドオンドメインやサブドメインを分けて"
        "確認してください。",
    ),
    "input.provider_unknown": (
        "Unknown provider '{value}': use letsencrypt or sectigo.",
        "不明なプロバイダー「{value}」: letsencrypt か sectigo を指定してください。",
    ),
    "input.no_resolver": ("At least one resolver is needed.", "リゾルバーが 1 つ以上必要です。"),
    "input.bad_time_limit": (
        "The time limit must be more than 0 and at most {limit} seconds.",
        "制限時間は 0 秒より長く {limit} 秒以下にしてください。",
    ),
    "input.bad_in_flight": (
        "The number of queries in flight must be between 1 and {limit}.",
        "同時問い合わせ数は 1 から {limit} の間にしてください。",
    ),
    "input.domain_missing": ("No domain given.", "ドメインが指定されていません。"),
    "input.param_repeated": (
        "The parameter '{value}' appears more than once.",
        "パラメーター「{value}」が複数回指定されています。",
    ),
    "input.param_bad_value": (
        "The parameter '{name}' has an unknown value '{value}'.",
        "パラメーター「{name}」の値「{value}」は使えません。",
    ),
    "input.link_too_long": (
        "The link is too long ({length} characters; at most {limit}).",
        "リンクが長すぎます（{length} 文字。上限は {limit} 文字）。",
    ),
    "input.link_unreadable": (
        "The link's parameters cannot be read.",
        "リンクのパラメーターを読み取れません。",
    ),
}

LABELS: dict[str, Pair] = {
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
    "status.problem": ("needs action", "要対応"),
    "status.failed": ("not checked (lookup failed)", "確認できず（問い合わせ失敗）"),
    "none": ("none", "なし"),
    "details": ("Details", "詳細"),
    "notes": ("Notes", "補足"),
    "what_to_do": ("What to do", "対処方法"),
    "exclude_heading": (
        "Names to exclude from AutoSSL if the DNS is not fixed",
        "DNS を直さない場合に AutoSSL から除外する名前",
    ),
    "docs": ("Explained at", "解説"),
    "chain.skipped": ("… {count} …", "… {count} 件 …"),
    # the command line's own messages
    "cli.usage": ("{message} (see --help)", "{message}（--help を参照）"),
    "cli.interrupted": ("interrupted", "中断しました"),
    "cli.internal_error": (
        "internal error: {error}: {detail}",
        "内部エラー: {error}: {detail}",
    ),
    "page.internal_error": (
        "The check stopped on an internal error ({error}).",
        "内部エラーでチェックが止まりました（{error}）。",
    ),
}

ADVICE: dict[str, Pair] = {
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
    "check_caa_account": (
        "CAA limits Let's Encrypt to one account: if the accounturi shown is not the Provider "
        "Account ID in WHM » SSL/TLS » Manage AutoSSL, add this server's account URI as another "
        "issue record, or drop accounturi from the record.",
        "CAA が Let's Encrypt を 1 つのアカウントに限定しています。表示された accounturi が WHM »"
        "「SSL/TLS」»「Manage AutoSSL」の「Provider Account ID」と違う場合は、このサーバーの"
        "アカウント URI を別の issue レコードとして追加するか、レコードから accounturi を外して"
        "ください。",
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

# The guide's generated tables (tools/site_hooks/docs_tables.py): headers and each row's words;
# option names, values and defaults come from the code.
DOCS: dict[str, Pair] = {
    "head.option": ("Option", "オプション"),
    "head.meaning": ("Meaning", "意味"),
    "head.code": ("Code", "コード"),
    "head.title": ("In one line", "ひとことで"),
    "head.parameter": ("Parameter", "パラメーター"),
    "head.value": ("Value", "値"),
    "head.default": ("Default", "省略したとき"),
    "values": ("{meaning} ({values})", "{meaning}（{values}）"),
    "cli.domain": ("the account's main domain (required)", "アカウントのメインドメイン（必須）。"),
    "cli.server": (
        "an IPv4 or IPv6 address of the cPanel server; repeat for each. Without it, the domain's "
        "own A/AAAA addresses are taken as the server's, and the output says so",
        "cPanel サーバーの IPv4 または IPv6 アドレス。繰り返して複数指定できます。省略すると、"
        "ドメイン本体の A / AAAA レコードのアドレスをサーバーのアドレスとみなし、"
        "結果にそう表示します。",
    ),
    "cli.provider": (
        "the AutoSSL provider whose CA the CAA check is for (default `{default}`)",
        "AutoSSL のプロバイダー。CAA の判定に使います。既定は `{default}` です。",
    ),
    "cli.resolver": (
        "the resolver to ask: `cloudflare`, `google`, `both`, or the `https://` URL of another "
        "DNS-over-HTTPS endpoint; repeat for several. Replaces the default, which is both "
        "Cloudflare (`{cloudflare}`) and Google (`{google}`). Plain `http://` is accepted for "
        "loopback addresses only (tests)",
        "問い合わせるリゾルバー。`cloudflare`、`google`、`both`、またはほかの DNS over HTTPS "
        "サーバーの `https://` の URL を指定します。繰り返して複数指定でき、指定すると既定の "
        "Cloudflare（`{cloudflare}`）と Google（`{google}`）の代わりに使われます。"
        "`http://` はテスト用にループバックアドレスだけ受け付けます。",
    ),
    "cli.service_subdomains": (
        "leave out the service subdomains: `cpanel.`, `webmail.`, `webdisk.`, `cpcalendars.`, "
        "`cpcontacts.` and `autodiscover.` (and `whm.`)",
        "サービスサブドメイン（`cpanel.`、`webmail.`、`webdisk.`、`cpcalendars.`、"
        "`cpcontacts.`、`autodiscover.`、それに `whm.`）を調べません。",
    ),
    "cli.autodiscover": ("leave out `autodiscover.` only", "`autodiscover.` だけを調べません。"),
    "cli.reseller": (
        "add `whm.` (reseller accounts; only while service subdomains are on)",
        "リセラーのアカウントとして `whm.` も調べます（サービスサブドメインが有効なときだけ）。",
    ),
    "cli.addon": (
        "add an addon domain with the same rules as the main domain; repeatable",
        "アドオンドメインを加えます。メインドメインと同じ規則で名前が増えます。繰り返して指定できます。",
    ),
    "cli.subdomain": (
        "add a subdomain and its `www.`; repeatable. `shop` means `shop.DOMAIN`",
        "サブドメインを加えます（その名前と `www.` 付きの名前）。繰り返して指定できます。"
        "`shop` のように最初のラベルだけを書くと `shop.DOMAIN` の意味になります。",
    ),
    "cli.json": (
        "print the result as one JSON object (schema 1, below)",
        "結果を JSON（スキーマ 1）で標準出力に出します。",
    ),
    "cli.markdown": (
        "print a block to paste into a support ticket; cannot be combined with `--json`",
        "サポートのチケットに貼るための Markdown を出します。`--json` とは同時に使えません。",
    ),
    "cli.lang": (
        "language of the text and Markdown output, and of refusals. Default: `ja` when the first "
        "of `LC_ALL`, `LC_MESSAGES` and `LANG` that is set starts with `ja`, otherwise `en`. "
        "The JSON is the same in both",
        "人が読む出力（表と `--markdown`、入力の誤りの知らせ）の言語。既定では、`LC_ALL`、"
        "`LC_MESSAGES`、`LANG` のうち最初に設定されているものが `ja` で始まれば `ja`、"
        "それ以外は `en` です。JSON はどちらでも同じです。",
    ),
    "cli.docs_url": (
        "the address this guide is published at, for example "
        "`https://docs.example.org/autossl/latest`. With it, the `--markdown` block links each "
        "finding code to its section: `URL/en/findings/#CODE` in English, `URL/findings/#CODE` "
        "in Japanese. Without it, the block has no links",
        "このガイドを公開しているアドレス（例: `https://docs.example.org/autossl/latest`）。"
        "指定すると、`--markdown` の出力で検出コードごとに解説へのリンクを付けます。日本語では "
        "`URL/findings/#CODE`、英語では `URL/en/findings/#CODE` です。指定しなければリンクは"
        "付きません。",
    ),
    "cli.timeout": (
        "time limit for the whole check, more than 0 and at most {most} (default {default}). A "
        "single query waits at most {query} seconds, or the whole limit if that is shorter; a "
        "lookup still unanswered when time runs out is reported as `LOOKUP_FAILED`",
        "チェック全体の制限時間（秒）。0 より大きく {most} 以下で、既定は {default} 秒です。"
        "1 つの問い合わせは最長 {query} 秒（制限時間のほうが短ければその時間）まで待ちます。"
        "時間内に答えが得られなかった問い合わせは `LOOKUP_FAILED` になります。",
    ),
    "cli.max_in_flight": (
        "how many queries may wait for one resolver at the same time, 1 to {most} "
        "(default {default})",
        "1 つのリゾルバーに同時に送る問い合わせの上限。1 から {most} で、既定は {default} です。",
    ),
    "cli.watch": (
        "after the check, ask each failing name again when public resolvers' cached answer "
        "for it expires (never more often than every 30 seconds), print only what changed, "
        "and exit 0 as soon as every name is fine; otherwise the usual status when the watch "
        "ends. Ctrl-C ends it (status 130). See [After you change DNS](after-dns-change.md)",
        "チェックのあと、失敗した名前を公開リゾルバーのキャッシュが切れるたびに問い合わせ直し"
        "（間隔は 30 秒以上）、変わったことだけを表示します。すべての名前が正常になった時点で"
        "終了ステータス 0 で終わり、そうならなければ監視の終わりにいつもの終了ステータスを"
        "返します。"
        "Ctrl-C で中断できます（130）。[DNS を変更したあと](after-dns-change.md)を参照。",
    ),
    "cli.watch_for": (
        "how long `--watch` goes on: `90s`, `30m`, `2h` (default `2h`, at most `24h`)",
        "`--watch` を続ける時間。`90s`、`30m`、`2h` のように書きます（既定 `2h`、最長 `24h`）。",
    ),
    "cli.version": ("print the version and exit", "バージョンを表示して終わります。"),
    "link.domain": (
        "the account's main domain; any case, a trailing dot, a Unicode name or a pasted URL are "
        "accepted",
        "アカウントのドメイン（必須）。大文字、末尾のドット、日本語ドメイン名、URL の貼り付けも"
        "受け付けます。",
    ),
    "link.domain.default": ("required", "—"),
    "link.server": (
        "an address of the cPanel server, IPv4 or IPv6; repeat it for each address",
        "サーバーの IPv4 または IPv6 アドレス。複数あるときは繰り返します。",
    ),
    "link.server.default": (
        "the domain's own A/AAAA addresses",
        "ドメイン本体のアドレスをサーバーのアドレスとみなします",
    ),
    "link.provider": ("the AutoSSL provider, for the CAA check", "AutoSSL のプロバイダー"),
    "link.addon": (
        "an addon domain of the account, such as `example.net`; repeat for each",
        "アドオンドメイン（例: `example.net`）。複数あるときは繰り返します。",
    ),
    "link.addon.default": ("none", "なし"),
    "link.subdomain": (
        "a subdomain of the account, in full (`shop.example.com`) or as its first label "
        "(`shop`); repeat for each",
        "サブドメイン。`shop.example.com` のように全体を書くか、`shop` のように最初のラベル"
        "だけを書きます。複数あるときは繰り返します。",
    ),
    "link.subdomain.default": ("none", "なし"),
    "link.reseller": (
        "`1` if the account is a reseller (adds `whm.`)",
        "`1` でリセラー用の `whm.` を加えます。",
    ),
    "link.service": (
        "`0` if *Service subdomains* is off on the server",
        "`0` でサービスサブドメイン（`cpanel.` など）を調べません。",
    ),
    "link.autodiscover": (
        "`0` if `autodiscover_proxy_subdomains` is off",
        "`0` で `autodiscover.` を調べません。",
    ),
    "link.resolver": ("the resolvers to ask", "問い合わせるリゾルバー"),
}

# The records to enter after a fix, and the watch that follows it (zone_records, watch).
AFTER_FIX: dict[str, Pair] = {
    # the records to enter
    "records_title": (
        "Records to enter at the DNS host",
        "DNS ホストで設定するレコード",
    ),
    "records_for": ("{name} (zone {zone})", "{name}（ゾーン {zone}）"),
    "records_for_kind": ("{name} (zone {zone}): {kind}", "{name}（ゾーン {zone}）：{kind}"),
    "action_add": ("Add", "追加"),
    "action_delete": ("Delete", "削除"),
    "kind_add": ("add", "追加"),
    "kind_change": ("change", "変更"),
    "kind_delete": ("delete", "削除"),
    "kind_cname": ("change the CNAME", "CNAME を変更"),
    "option_replace_cname": (
        "Replace the CNAME: delete it, then add the server's addresses.",
        "CNAME を置き換える：CNAME を削除してから、サーバーのアドレスを追加します。",
    ),
    "option_retarget_cname": (
        "Or change the CNAME's target to a name that points at the server.",
        "または、CNAME の参照先をサーバーを指している名前に変更します。",
    ),
    "never_beside_cname": (
        "Never add an A or AAAA record beside the CNAME: a name with a CNAME can have no other "
        "records, and DNS hosts refuse or ignore them.",
        "CNAME と同じ名前に A / AAAA レコードを追加しないでください。CNAME のある名前は他のレコード"
        "を持てず、DNS ホストは受け付けないか無視します。",
    ),
    "field_type": ("Type", "タイプ"),
    "field_name": ("Name", "名前"),
    "field_value": ("Value", "値"),
    "field_ttl": ("TTL", "TTL"),
    "zone_lines": ("Zone-file lines", "ゾーンファイルの行"),
    "nothing_to_enter": (
        "Nothing to enter at the DNS host for this name.",
        "この名前について DNS ホストで設定するものはありません。",
    ),
    "servers_given": (
        "Server addresses: {servers} (as you gave them).",
        "サーバーのアドレス：{servers}（入力された値）。",
    ),
    "servers_inferred": (
        "Server addresses: {servers} (taken from the domain's own records; check they are the "
        "server's).",
        "サーバーのアドレス：{servers}（ドメイン自身のレコードから推定。サーバーのものか確認して"
        "ください）。",
    ),
    "ipv4": ("IPv4", "IPv4"),
    "ipv6": ("IPv6", "IPv6"),
    # notes (zone_records.Note keys)
    "zone_assumed": (
        "Zone {zone} is assumed: the answers carried no SOA record. If your DNS host keeps this "
        "name in another zone, write the name relative to that zone.",
        "ゾーンは {zone} と仮定しています（回答に SOA レコードがありませんでした）。DNS ホストで"
        "この名前が別のゾーンにある場合は、そのゾーンからの相対名で入力してください。",
    ),
    "ttl_default": (
        "TTL {ttl} s: short, so that a mistake can be corrected quickly; raise it once every "
        "name is fine.",
        "TTL {ttl} 秒：誤りをすぐ直せるよう短くしています。すべての名前が正常になったら長くして"
        "構いません。",
    ),
    "ttl_given": ("TTL {ttl} s, as asked.", "TTL {ttl} 秒（指定どおり）。"),
    "no_server_address": (
        "The server's address is not known, so no record can be written; give it and check again.",
        "サーバーのアドレスが分からないため、レコードを書けません。アドレスを指定して再度確認して"
        "ください。",
    ),
    "aaaa_no_server_v6": (
        "The server has no IPv6 address here, so the name's AAAA records are deleted, not changed.",
        "サーバーに IPv6 アドレスがないため、この名前の AAAA レコードは変更ではなく削除します。",
    ),
    "cname_retarget_words": (
        "For the new target, use a name whose A record is {servers}.",
        "新しい参照先には、A レコードが {servers} の名前を使ってください。",
    ),
    "caa_at_cname_target": (
        "The name is a CNAME, so the CAA record is read at its target {node}; change it there.",
        "この名前は CNAME なので、CAA は参照先 {node} で読まれます。そちらで変更してください。",
    ),
    "caa_account_bound": (
        "The CAA record at {node} lets only one ACME account issue. The line below lets any "
        "account of {issuer} issue; to keep the binding, add a record with AutoSSL's own account "
        "URI instead.",
        "{node} の CAA レコードは 1 つの ACME アカウントにだけ発行を許しています。"
        "下の行は {issuer} のどのアカウントにも許可します。"
        "制限を残すには、代わりに AutoSSL 自身のアカウント URI を"
        "書いたレコードを追加してください。",
    ),
    "other_zone": (
        "Some records belong to another zone than the name's; enter them where that zone is "
        "hosted.",
        "一部のレコードはこの名前とは別のゾーンのものです。そのゾーンを管理している場所で設定して"
        "ください。",
    ),
    "cached_for": (
        "Public resolvers may keep the answer this check saw for up to {seconds} s more; the CA "
        "sees a change only after that (the watch asks again then).",
        "公開リゾルバーは、このチェックで得た回答を最長であと {seconds} 秒保持します。"
        "変更が認証局に見えるのはその後です（監視はその時点で問い合わせ直します）。",
    ),
    "disagree_wait": (
        "Resolvers disagree: if you already changed this name, wait for the old answers to expire "
        "(see the watch); the records show what the zone should end up with.",
        "リゾルバーの回答が食い違っています。すでに変更済みなら古い回答の期限切れを待ってください"
        "（監視を参照）。レコードは最終的にゾーンにあるべき内容です。",
    ),
    "servfail_other_advice": (
        "SERVFAIL is not fixed by adding records; see the finding's advice.",
        "SERVFAIL はレコードの追加では直りません。検出コードの説明を参照してください。",
    ),
    "lookup_failed_other_advice": (
        "The lookup failed, so nothing is known about this name's records; check again.",
        "問い合わせに失敗したため、この名前のレコードは分かりません。再度確認してください。",
    ),
    # the watch
    "status_ok": ("ok", "正常"),
    "watch_change": ("{name}: {before} -> {after}", "{name}: {before} → {after}"),
    "watch_addresses": (
        "{name}: {rtype} {before} -> {after}",
        "{name}: {rtype} {before} → {after}",
    ),
    "watch_none": ("none", "なし"),
    "watch_next": (
        "{name}: re-check in {countdown}",
        "{name}: {countdown}後に再確認",
    ),
    "watch_next_expiry": (
        "{name}: cached for another {expires}, re-check in {countdown}",
        "{name}: キャッシュの残り {expires}、{countdown}後に再確認",
    ),
    "watch_beyond": (
        "{name}: cached answers expire in {expires}, after the watch ends",
        "{name}: キャッシュの期限は {expires} 後で、監視の終了より後です",
    ),
    "watch_all_fine": ("Every name is fine.", "すべての名前が正常です。"),
    "watch_ended": (
        "The watch ended after {elapsed}; still failing: {names}",
        "監視を終了しました（{elapsed}経過）。まだ失敗している名前：{names}",
    ),
    "title_watching": ("Watching: {count} failing", "監視中：{count} 件失敗"),
    "title_fine": ("All fine", "すべて正常"),
    "title_ended": ("Watch ended: {count} failing", "監視終了：{count} 件失敗"),
    "watch_button": ("Watch until fixed", "直るまで監視する"),
    "watch_unavailable": (
        "Check again first: the watch follows the check shown on this page.",
        "先にもう一度チェックしてください。監視はこのページに表示したチェックの続きです。",
    ),
    "records_copy": ("Copy records", "レコードをコピー"),
    "countdown_seconds": ("{seconds} s", "{seconds} 秒"),
    "countdown_minutes": ("{minutes} min {seconds} s", "{minutes} 分 {seconds} 秒"),
    "countdown_hours": ("{hours} h {minutes} min", "{hours} 時間 {minutes} 分"),
}


TABLES: Final[dict[str, Mapping[str, Pair]]] = {
    "sentence": SENTENCES,
    "label": LABELS,
    "advice": ADVICE,
    "piece": PIECES,
    "docs": DOCS,
    "after_fix": AFTER_FIX,
}


def placeholders(template: str) -> set[str]:
    """The `{names}` a template fills in."""
    import string  # only when words are needed: `import autossl_check.browser` stays light

    return {name for _text, name, _spec, _conv in string.Formatter().parse(template) if name}


def _pick(pair: Pair | None, what: str, lang: str) -> str:
    if pair is None:
        raise TextError(f"no text for {what}")
    return pair[1] if normalise_lang(lang) == "ja" else pair[0]


def fill(table: str, key: str, lang: str, params: Mapping[str, str]) -> str:
    """The template `key` of `table` in `lang` with `params`, which must be exactly its
    placeholders (already words: see `value_text`)."""
    template = _pick(TABLES[table].get(key), f"{table} {key!r}", lang)
    wanted = placeholders(template)
    if wanted != set(params):
        raise TextError(f"{table} {key!r} fills {sorted(wanted)}, given {sorted(params)}")
    return template.format_map(params)


def join(items: Iterable[str], lang: str, *, outer: bool = False) -> str:
    """A list in the reader's language: 「、」 in Japanese, ", " in English."""
    shown = list(items)
    if not shown:
        return ""
    text = shown[-1]
    for item in reversed(shown[:-1]):
        text = fill("piece", "list.outer" if outer else "list", lang, {"first": item, "rest": text})
    return text


def title(code: Code | str, lang: str) -> str:
    return _pick(TITLES.get(Code(code)), f"title {code}", lang)


def explanation(code: Code | str, lang: str) -> str:
    return _pick(EXPLANATIONS.get(Code(code)), f"explanation {code}", lang)


def label(key: str, lang: str, **params: str) -> str:
    return fill("label", key, lang, params)


def after_fix_text(key: str, lang: str, **params: str) -> str:
    """Words of the records to enter and of the watch (values are plain text, never markup)."""
    return fill("after_fix", key, lang, params)


def advice_text(key: str, lang: str, **params: Param) -> str:
    return fill("advice", key, lang, {name: value_text(v, lang) for name, v in params.items()})


def verdict_text(verdict: Verdict, lang: str) -> str:
    """The verdict sentence: the same words in the terminal, the ticket block and the page."""
    return label(f"verdict.{verdict}", lang)


def why_text(why: Why, lang: str) -> str:
    if why.addon is None:
        return _pick(WHY.get(why.rule), f"why {why.rule}", lang)
    if why.rule is Rule.DOMAIN:
        return fill("piece", "why.addon_domain", lang, {})
    inner = _pick(WHY.get(why.rule), f"why {why.rule}", lang)
    return fill("piece", "why.addon", lang, {"why": inner, "addon": why.addon})


def resolver_name(resolver: ResolverId, lang: str) -> str:
    """How a resolver is named to people: its host (with a port or an odd path)."""
    return resolver.label


def provider_name(provider: Provider | str, lang: str) -> str:
    return _pick(PROVIDER_NAMES.get(Provider(provider)), f"provider {provider}", lang)


def ede_text(ede: Ede, lang: str) -> str:
    pair = EDE_MEANINGS.get(ede.code)
    meaning = _pick(pair, "", lang) if pair else fill("piece", "ede.unassigned", lang, {})
    params = {"code": str(ede.code), "meaning": meaning}
    if not ede.text:
        return fill("piece", "ede.bare", lang, params)
    return fill("piece", "ede", lang, {**params, "text": ede.text})


def _view_text(view: ResolverView, lang: str) -> str:
    if view.rcode == "NXDOMAIN":
        answer = "NXDOMAIN"
    else:
        answer = join(view.addresses, lang) or fill("piece", "view.none", lang, {})
    params = {"resolver": resolver_name(view.resolver, lang), "answer": answer}
    if view.ttl is None:
        return fill("piece", "view", lang, params)
    return fill("piece", "view.ttl", lang, {**params, "ttl": str(view.ttl)})


def value_text(value: Param, lang: str) -> str:
    """One parameter in words. Enumerations first: they are strings too."""
    if isinstance(value, Provider):
        return provider_name(value, lang)
    if isinstance(value, Subject):
        return _pick(WHAT.get(value), f"subject {value}", lang)
    if isinstance(value, enum.Enum):
        raise TextError(f"no words for {value!r}")
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        raise TextError("a yes/no has no words of its own")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, ResolverId):
        return resolver_name(value, lang)
    if isinstance(value, QueryRef):
        if not value.node:
            return value.rdtype
        return fill("piece", "query.caa", lang, {"node": value.node})
    if isinstance(value, ResolverView):
        return _view_text(value, lang)
    if isinstance(value, CaaRecord):
        return value.as_text()
    if isinstance(value, Ede):
        return ede_text(value, lang)
    if isinstance(value, Fact):
        return fact_text(value, lang)
    outer = any(isinstance(item, ResolverView | CaaRecord | Ede | Fact) for item in value)
    return join((value_text(item, lang) for item in value), lang, outer=outer)


def fact_text(fact: Fact, lang: str) -> str:
    words = {name: value_text(value, lang) for name, value in fact.params.items()}
    return fill("sentence", fact.key, lang, words)


def failure_text(failure: LookupFailure, lang: str) -> str:
    return fact_text(failure.fact(), lang)


def input_error_text(error: InputError, lang: str) -> str:
    return fact_text(error.fact, lang)
