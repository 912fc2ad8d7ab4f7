"""Every word a reader sees about an AutoSSL log or a cPanel domain list, in English and Japanese.

Keys are `autossl_log.LineKind` / `DcvReason` values and the error keys of `autossl_log` and
`domain_info`; tuples are (English, Japanese) like `texts`. Placeholders ({name}, {via}, …) are
filled with plain text: whoever renders them must treat them as text, never markup. Each line kind
links to its section of the guide page "autossl-log" (`line_anchor`).
"""

from __future__ import annotations

from collections.abc import Mapping

GUIDE_PAGE = "autossl-log"

LINE_KINDS: dict[str, tuple[str, str]] = {
    "blank": ("", ""),
    "not_recognised": (
        "Not an AutoSSL line this checker knows; it is shown as it was and changes nothing.",
        "このチェッカーが知らない行です。そのまま表示し、結果には使いません。",
    ),
    "provider": (
        "The AutoSSL provider of this run: {provider}.",
        "この実行の AutoSSL プロバイダーは {provider} です。",
    ),
    "user": (
        "AutoSSL starts on the cPanel account {user}.",
        "AutoSSL が cPanel アカウント {user} の処理を始めます。",
    ),
    "user_suspended": (
        "The account {user} is suspended, so AutoSSL skips it.",
        "アカウント {user} は停止中のため、AutoSSL は処理しません。",
    ),
    "user_missing_feature": (
        "The account {user} lacks the AutoSSL feature in its feature list, so AutoSSL skips it.",
        "アカウント {user} の機能リストに AutoSSL がないため、AutoSSL は処理しません。",
    ),
    "user_batch": (
        "AutoSSL works through the accounts in batches of this size.",
        "AutoSSL はこの数ずつアカウントをまとめて処理します。",
    ),
    "website": (
        "A website (web server virtual host): {website}. AutoSSL orders one certificate per "
        "website.",
        "Web サイト（バーチャルホスト）{website}。AutoSSL は Web サイトごとに 1 "
        "枚の証明書を注文します。",
    ),
    "dynamic_dns": (
        "A dynamic DNS name of the account: {website}.",
        "アカウントのダイナミック DNS 名 {website}。",
    ),
    "dcv_results_for": (
        "AutoSSL weighs the validation results of the website {website}.",
        "AutoSSL が Web サイト {website} の検証結果を評価します。",
    ),
    "tls_status": (
        "The website's current certificate: {reason}. Anything but OK makes AutoSSL try to order.",
        "現在の証明書の状態: {reason}。OK 以外なら AutoSSL は注文を試みます。",
    ),
    "defect": (
        "Why the certificate counts as defective: {code}.",
        "証明書が不良とされる理由: {code}。",
    ),
    "certificate_expiry": (
        "When the current certificate expires.",
        "現在の証明書の有効期限です。",
    ),
    "issuer": ("Who signed the current certificate.", "現在の証明書の発行者です。"),
    "user_excluded": (
        "Names the account excluded from AutoSSL ({count}); AutoSSL does not order them.",
        "アカウントが AutoSSL から除外した名前（{count} 件）。AutoSSL は注文しません。",
    ),
    "provider_excluded": (
        "Names the provider will not secure ({count}).",
        "プロバイダーが対象外とする名前（{count} 件）。",
    ),
    "domain_count": (
        "How many names the website has; shown when it has more than one certificate can hold.",
        "Web サイトの名前の数。証明書 1 枚に入りきらないときに表示されます。",
    ),
    "certificate_limit": (
        "The provider's limit of names per certificate.",
        "プロバイダーの証明書 1 枚あたりの名前の上限です。",
    ),
    "cannot_secure_all": (
        "The website {website} has more names than one certificate can hold; some stay uncovered.",
        "Web サイト {website} の名前が証明書 1 枚の上限を超えています。一部は保護されません。",
    ),
    "coverage_optimal": (
        "Every name of this account is already covered; AutoSSL orders nothing.",
        "このアカウントの名前はすべて保護済みで、AutoSSL は何も注文しません。",
    ),
    "cannot_increase_coverage": (
        "AutoSSL can add no name for {user}: CAA or DNS management stopped every candidate.",
        "{user} について AutoSSL は名前を追加できません。CAA か DNS "
        "の管理状態で全候補が止まりました。",
    ),
    "caa_setup": (
        "AutoSSL adds CAA records for its CA where this server hosts the DNS zone.",
        "このサーバーが DNS ゾーンを持つ場合、AutoSSL は CA 用の CAA レコードを追加します。",
    ),
    "caa_check": (
        "AutoSSL looks up the CAA records of each name in public DNS.",
        "AutoSSL が各名前の CAA レコードを公開 DNS で確認します。",
    ),
    "ca_authorized": (
        "CAA allows the provider's CA to issue for {name}.",
        "CAA は {name} についてプロバイダーの CA の発行を許可しています。",
    ),
    "ca_forbidden": (
        "CAA forbids the provider's CA to issue for {name}; AutoSSL drops this name.",
        "CAA が {name} についてプロバイダーの CA の発行を禁止しています。AutoSSL "
        "はこの名前を外します。",
    ),
    "caa_summary": (
        "How many of the account's names CAA allows.",
        "アカウントの名前のうち CAA が許可する数です。",
    ),
    "management_check": (
        "AutoSSL checks that each name has working authoritative name servers.",
        "AutoSSL が各名前に機能する権威ネームサーバーがあるか確認します。",
    ),
    "managed": (
        "{name} has working authoritative name servers.",
        "{name} には機能する権威ネームサーバーがあります。",
    ),
    "unmanaged": (
        "{name} has no working authoritative name server (not registered, or lame delegation); "
        "AutoSSL drops it.",
        "{name} に機能する権威ネームサーバーがありません（未登録か委任の不備）。AutoSSL "
        "はこの名前を外します。",
    ),
    "management_summary": (
        "How many of the account's names have working name servers.",
        "アカウントの名前のうち、機能するネームサーバーを持つ数です。",
    ),
    "http_dcv_start": (
        "cPanel's own HTTP check starts: it fetches a file over http from each name.",
        "cPanel 自身の HTTP 検証が始まります。各名前から http でファイルを取得します。",
    ),
    "local_http_dcv_ok": (
        "cPanel fetched its test file from {name}: this server answers for it over http.",
        "cPanel は {name} からテストファイルを取得できました。このサーバーが http "
        "で応答しています。",
    ),
    "local_http_dcv_ok_via": (
        "cPanel accepted {name} because its parent {via} passed. This cPanel predates the fix "
        "(94.0.19, 98.0.13, 100.0.4, 102.0.0): CAs check every name on its own since November "
        "2021, so {name} may still fail at the CA. Check it in public DNS and update cPanel.",
        "親ドメイン {via} の結果で {name} を合格にしています。この cPanel は修正版（94.0.19、"
        "98.0.13、100.0.4、102.0.0）より前のものです。2021 年 11 月以降 CA "
        "は名前ごとに検証するため、"
        "{name} は CA で失敗することがあります。公開 DNS で確認し、cPanel を更新してください。",
    ),
    "local_http_dcv_error": (
        "cPanel's own HTTP check of {name} failed: {reason}",
        "cPanel 自身による {name} の HTTP 検証が失敗しました: {reason}",
    ),
    "local_http_dcv_impediment": (
        "cPanel could not HTTP-check {name}: {reason}",
        "cPanel は {name} を HTTP 検証できませんでした: {reason}",
    ),
    "bare_ok": (
        'An "OK:" line of older cPanel versions; it carries no name.',
        "古い cPanel の「OK:」行です。名前は含まれません。",
    ),
    "redirect": (
        "The http request for {name} was redirected to {target}.",
        "{name} への http リクエストが {target} へリダイレクトされました。",
    ),
    "redirect_forbidden": (
        "The provider {provider} accepts no redirect during validation (Sectigo); a redirect of "
        "/.well-known/ fails the name.",
        "プロバイダー {provider} は検証中のリダイレクトを認めません（Sectigo）。/.well-known/ の"
        "リダイレクトで失敗します。",
    ),
    "redirect_limit": (
        "The validation followed more redirects than the provider allows.",
        "検証がプロバイダーの許す回数を超えてリダイレクトされました。",
    ),
    "dns_dcv_step": (
        "A step of DNS validation (a TXT record in zones this server hosts).",
        "DNS 検証の手順です（このサーバーが持つゾーンに TXT レコードを置きます）。",
    ),
    "local_authority_ok": (
        "This server is authoritative for {name}, so DNS validation can be tried.",
        "このサーバーは {name} の権威サーバーなので、DNS 検証を試せます。",
    ),
    "local_authority_none": (
        "This server is not authoritative for {name} (external DNS): no DNS validation for it.",
        "このサーバーは {name} の権威サーバーではありません（外部 DNS）。DNS 検証はできません。",
    ),
    "local_authority_failed": (
        "cPanel could not tell whether it is authoritative for {name}.",
        "cPanel は {name} の権威サーバーかどうか判断できませんでした。",
    ),
    "local_dns_dcv_ok": (
        "The DNS check of {name} passed.",
        "{name} の DNS 検証に合格しました。",
    ),
    "local_dns_dcv_ok_via": (
        "The DNS check of {name} passed through its zone {via} (allowed for DNS validation).",
        "{name} の DNS 検証がゾーン {via} を通じて合格しました（DNS 検証では認められています）。",
    ),
    "local_dns_dcv_error": (
        "The DNS check of {name} failed: {reason}",
        "{name} の DNS 検証が失敗しました: {reason}",
    ),
    "provider_dcv_ok": (
        "The CA ({provider}) validated {name}.",
        "CA（{provider}）が {name} を検証しました。",
    ),
    "provider_dcv_error": (
        "The CA ({provider}) could not validate {name}: {reason}",
        "CA（{provider}）は {name} を検証できませんでした: {reason}",
    ),
    "impediment": (
        "Why AutoSSL orders nothing for this website: {code}.",
        "AutoSSL がこの Web サイトについて注文しない理由: {code}。",
    ),
    "domains_omitted": (
        "Names left out because one certificate holds at most the provider's limit.",
        "証明書 1 枚の上限のため外された名前です。",
    ),
    "replacing_external": (
        "AutoSSL replaces a certificate from another CA (the server allows it).",
        "AutoSSL が他の CA の証明書を置き換えます（サーバーの設定で許可されています）。",
    ),
    "will_request": (
        "AutoSSL orders a certificate for this website.",
        "AutoSSL がこの Web サイトの証明書を注文します。",
    ),
    "renew_set": (
        "The exact names AutoSSL asks the CA for, website by website. These are the names to "
        "check.",
        "AutoSSL が CA に申請する名前そのもの（Web サイトごと）。確認すべき名前はこれです。",
    ),
}

# Why a line was kept as not recognised (`LogLine.problem`). Other keys are inputs.InputError
# keys (a name that is not a valid domain name); they read as "invalid_name".
PROBLEMS: dict[str, tuple[str, str]] = {
    "unknown_line": (
        "Not an AutoSSL line this checker knows.",
        "このチェッカーが知らない AutoSSL の行ではない行です。",
    ),
    "binary": (
        "Not text (binary data or another encoding than UTF-8).",
        "テキストではありません（バイナリか UTF-8 以外の文字コード）。",
    ),
    "line_too_long": (
        "A line longer than {limit} characters: only its start was kept.",
        "{limit} 文字を超える行です。先頭だけを残しました。",
    ),
    "invalid_user": (
        "The account name on this line is not a cPanel user name.",
        "この行のアカウント名は cPanel のユーザー名ではありません。",
    ),
    "json_not_log_entry": (
        "A JSON entry without a log message.",
        "ログのメッセージを含まない JSON の項目です。",
    ),
    "wildcard": (
        "A wildcard name: only DNS validation can cover it, and the public DNS check does not "
        "apply.",
        "ワイルドカード名です。DNS 検証でしか扱えず、公開 DNS の確認の対象外です。",
    ),
    "unknown_domain_type": (
        "A domain type other than main, addon, sub or parked.",
        "main、addon、sub、parked 以外のドメインの種類です。",
    ),
    "not_text": ("A value that is not text.", "テキストではない値です。"),
    "invalid_name": (
        "The name on this line is not a valid domain name, so it was not read.",
        "この行の名前は有効なドメイン名ではないため、読み取りませんでした。",
    ),
}

# One sentence about the whole input (`LogStream.error`, `LogReport`, `DomainInfo.error`).
ERRORS: dict[str, tuple[str, str]] = {
    "nothing_recognised": (
        "Nothing in this text is an AutoSSL log line. Copy the log from WHM » Manage AutoSSL » "
        "View Log, or the files under /var/cpanel/logs/autossl/.",
        "このテキストには AutoSSL のログの行がありません。WHM »「Manage AutoSSL」»「View Log」か、"
        "/var/cpanel/logs/autossl/ のファイルからコピーしてください。",
    ),
    "truncated_paste": (
        "The text is longer than this page reads ({limit} characters); only its start was read.",
        "テキストがこのページで読める長さ（{limit} 文字）を超えたため、先頭だけを読みました。",
    ),
    "json_truncated": (
        "The JSON ends in the middle: the output was cut off. Copy it again in full.",
        "JSON が途中で切れています。出力全体をもう一度コピーしてください。",
    ),
    "json_invalid": (
        "This is not valid JSON.",
        "正しい JSON ではありません。",
    ),
    "json_other_api": (
        "This JSON is the answer of another API, not the one expected here.",
        "この JSON は別の API の応答で、ここで期待するものではありません。",
    ),
    "api_error": (
        "cPanel answered with an error: {reason}",
        "cPanel がエラーを返しました: {reason}",
    ),
    "too_many_users": (
        "More than {limit} accounts: the rest were not read. Pick accounts with --user.",
        "アカウントが {limit} を超えたため、残りは読み取っていません。--user "
        "でアカウントを選んでください。",
    ),
    "too_many_domains": (
        "More than {limit} domains: the rest were not read.",
        "ドメインが {limit} を超えたため、残りは読み取っていません。",
    ),
    "too_large": (
        "The text is longer than {limit} characters; run the command on the server instead.",
        "テキストが {limit} 文字を超えています。サーバー上でコマンドを実行してください。",
    ),
    "not_json": (
        "This is not JSON. Run the command with --output=json.",
        "JSON ではありません。コマンドに --output=json を付けて実行してください。",
    ),
    "user_required": (
        "This list (uapi DomainInfo list_domains) does not name its account: give the user name.",
        "この一覧（uapi DomainInfo list_domains）にはアカウント名がありません。"
        "ユーザー名を指定してください。",
    ),
    "names_dropped": (
        "The account {user} mentions more than {limit} names; the rest were not read.",
        "アカウント {user} の名前が {limit} を超えたため、残りは読み取っていません。",
    ),
}

# cPanel's HTTP DCV failure reasons (autossl_log.DcvReason) in a few words.
DCV_REASONS: dict[str, tuple[str, str]] = {
    "no_address": (
        "cPanel's resolver found no address for the name.",
        "cPanel のリゾルバーは名前のアドレスを見つけられませんでした。",
    ),
    "not_on_server": (
        "The name points to an address that is not on this server.",
        "名前がこのサーバーにないアドレスを指しています。",
    ),
    "private_address": (
        "The name points to a private address the CA cannot reach; no public DNS finding matches.",
        "名前が CA から届かないプライベートアドレスを指しています。対応する公開 DNS "
        "の判定はありません。",
    ),
    "loopback": (
        "The name points to a loopback address (127.0.0.1 or ::1); no public DNS finding matches.",
        "名前がループバックアドレス（127.0.0.1 や ::1）を指しています。対応する公開 DNS "
        "の判定はありません。",
    ),
    "http_status": (
        "The web server answered with an error status (for example 404): a web server or "
        "rewrite problem, not DNS.",
        "Web サーバーがエラー（例: 404）を返しました。DNS ではなく Web "
        "サーバーや書き換え設定の問題です。",
    ),
    "content_mismatch": (
        "The file came back with other content (another site or a proxy answered); not a DNS "
        "finding.",
        "ファイルの内容が違いました（別のサイトやプロキシが応答）。DNS の判定ではありません。",
    ),
    "fetch_failed": (
        "The request failed (timeout, refused connection, TLS error).",
        "リクエストが失敗しました（タイムアウト、接続拒否、TLS エラー）。",
    ),
    "fetch_failed_cached": (
        "Not tried again: the same address and port had just failed for another name.",
        "再試行していません。同じアドレスとポートが別の名前で直前に失敗しています。",
    ),
    "redirects_forbidden": (
        "The provider allows no redirect and the request was redirected.",
        "プロバイダーはリダイレクトを認めず、リクエストはリダイレクトされました。",
    ),
    "too_many_redirects": (
        "More redirects than the provider allows.",
        "プロバイダーが認める回数を超えるリダイレクトです。",
    ),
    "no_document_root": (
        "The name has no document root on this server.",
        "この名前にはこのサーバー上のドキュメントルートがありません。",
    ),
    "response_too_long": (
        "The answer was far longer than a validation file.",
        "応答が検証ファイルよりはるかに長いものでした。",
    ),
    "internal_error": (
        "cPanel failed internally; its system log has the details.",
        "cPanel の内部エラーです。詳細はシステムログにあります。",
    ),
    "other": (
        "Another reason; see cPanel's words.",
        "その他の理由です。cPanel の文をご覧ください。",
    ),
}

LANGS = ("en", "ja")


class _Defaulting(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _pick(table: Mapping[str, tuple[str, str]], key: str, lang: str) -> str:
    pair = table.get(key)
    if pair is None:
        return key
    return pair[1] if lang == "ja" else pair[0]


def _fill(template: str, params: Mapping[str, object]) -> str:
    values = _Defaulting(
        {key: "" if value is None else str(value) for key, value in params.items()}
    )
    try:
        return template.format_map(values)
    except (ValueError, IndexError):
        return template


def line_text(kind: str, lang: str, **params: object) -> str:
    """The explanation of a line kind, with the line's values filled in."""
    return _fill(_pick(LINE_KINDS, kind, lang), params)


def line_anchor(kind: str) -> str:
    """Path of the line kind's section, relative to the docs root of either language."""
    return f"{GUIDE_PAGE}/#{kind.replace('_', '-')}"


def problem_text(key: str, lang: str, **params: object) -> str:
    return _fill(_pick(PROBLEMS, key if key in PROBLEMS else "invalid_name", lang), params)


def error_text(key: str, lang: str, **params: object) -> str:
    return _fill(_pick(ERRORS, key, lang), params)


def dcv_reason_text(key: str, lang: str) -> str:
    return _pick(DCV_REASONS, key, lang)
