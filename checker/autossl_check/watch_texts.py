"""The words of the records to enter and of the watch, in English and Japanese.

Kept apart until the lead folds them into texts.py. Keys are stable; the words may improve. Every
value filled in is plain text (names, addresses, zone lines): renderers treat it as text, never as
markup.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .watch import WatchEvent
    from .zone_records import Note

# (English, Japanese)
WORDS: dict[str, tuple[str, str]] = {
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
    "countdown_seconds": ("{seconds} s", "{seconds} 秒"),
    "countdown_minutes": ("{minutes} min {seconds} s", "{minutes} 分 {seconds} 秒"),
    "countdown_hours": ("{hours} h {minutes} min", "{hours} 時間 {minutes} 分"),
}


def text(key: str, lang: str, **params: str) -> str:
    english, japanese = WORDS[key]
    template = japanese if lang == "ja" else english
    return template.format(**params) if params else template


def note_text(note: Note, lang: str) -> str:
    return text(note.key, lang, **note.params)


def countdown(seconds: float, lang: str) -> str:
    """A duration for people: "45 s", "4 min 59 s", "1 h 5 min" (rounded up to whole seconds)."""
    total = max(0, math.ceil(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return text("countdown_hours", lang, hours=str(hours), minutes=str(minutes))
    if minutes:
        return text("countdown_minutes", lang, minutes=str(minutes), seconds=str(secs))
    return text("countdown_seconds", lang, seconds=str(secs))


def _status(codes: tuple[str, ...], ok: bool, lang: str) -> str:
    return text("status_ok", lang) if ok else ", ".join(codes)


def event_lines(event: WatchEvent, lang: str) -> list[str]:
    """The lines a terminal prints for one watch event."""
    if event.kind == "done":
        return [text("watch_all_fine", lang)]
    if event.kind == "ended":
        return [
            text(
                "watch_ended",
                lang,
                elapsed=countdown(event.elapsed, lang),
                names=", ".join(event.failing),
            )
        ]
    if event.kind == "schedule":
        lines = []
        for due in event.due:
            if due.next_check is None:
                expires = "?" if due.expires is None else countdown(due.expires - event.at, lang)
                lines.append(text("watch_beyond", lang, name=due.name, expires=expires))
            elif due.expires is None:
                left = countdown(due.next_check - event.at, lang)
                lines.append(text("watch_next", lang, name=due.name, countdown=left))
            else:
                lines.append(
                    text(
                        "watch_next_expiry",
                        lang,
                        name=due.name,
                        expires=countdown(due.expires - event.at, lang),
                        countdown=countdown(due.next_check - event.at, lang),
                    )
                )
        return lines
    change = event.change
    if change is None:
        return []
    before, after = change.before, change.after
    lines = []
    if "ok" in change.fields or "codes" in change.fields:
        lines.append(
            text(
                "watch_change",
                lang,
                name=change.name,
                before=_status(before.codes, before.ok, lang),
                after=_status(after.codes, after.ok, lang),
            )
        )
    none = text("watch_none", lang)
    for field, rtype in (("a", "A"), ("aaaa", "AAAA"), ("cname", "CNAME")):
        if field in change.fields:
            lines.append(
                text(
                    "watch_addresses",
                    lang,
                    name=change.name,
                    rtype=rtype,
                    before=", ".join(getattr(before, field)) or none,
                    after=", ".join(getattr(after, field)) or none,
                )
            )
    return lines


def page_title(failing: int, lang: str) -> str:
    """The tab title while a watch runs."""
    if failing:
        return text("title_watching", lang, count=str(failing))
    return text("title_fine", lang)
