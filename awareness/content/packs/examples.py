"""Reading a pack's consent records and examples (bodies per channel, media, red-flag spots)."""

from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from django.utils import timezone

from awareness.content.models import Channel
from awareness.content.packs.reader import (
    MEDIA_SLOTS,
    ExampleSpec,
    Located,
    LocatedList,
    Reader,
)

# Body fields per channel: (required, optional); list fields hold items with text.
CHANNEL_FIELDS: dict[str, tuple[set[str], set[str]]] = {
    "sms": ({"sender", "messages"}, {"sender_detail"}),
    "chat": ({"sender", "messages"}, {"sender_detail"}),
    "email": (
        {"from_name", "from_address", "to", "subject", "body"},
        {"reply_to", "date", "attachments"},
    ),
    "web": ({"url", "tab_title", "heading", "body"}, {"form", "button"}),
    "call": ({"caller_name", "caller_number", "transcript"}, set()),
    "video": ({"kind", "transcript"}, {"participants"}),
    "image": (set(), {"caption"}),
    "social": ({"account", "handle", "text"}, {"sponsored", "reactions"}),
}
CHANNEL_MEDIA: dict[str, set[str]] = {
    "call": {"audio"},
    "video": {"video", "poster"},
    "image": {"image"},
}
LIST_FIELDS = {"messages": {"from", "text", "time"}, "transcript": {"at", "speaker", "text"}}
STRING_LIST_FIELDS = {"attachments", "form", "participants"}


CONSENT_REQUIRED = {"id", "person", "likeness", "permitted_use", "obtained", "granted"}
LIKENESS = ("face", "voice", "name")


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def read_consents(reader: Reader, root: Path) -> dict[str, dict]:
    """consents.yaml (optional): the recorded consent of each real person examples depict."""
    path = root / "consents.yaml"
    if not path.is_file():
        return {}
    data = reader.load_yaml(path)
    if data is None:
        return {}
    if not isinstance(data, LocatedList):
        reader.problem(path, 1, "consents.yaml must be a list of consent records")
        return {}
    consents: dict[str, dict] = {}
    for item, line in zip(data, data.lines, strict=True):
        if not reader.mapping(path, item, line, "a consent record"):
            continue
        reader.keys(path, item, CONSENT_REQUIRED, {"expires"})
        key = reader.slug(path, item, "id")
        if key in consents:
            reader.problem(path, item.line_of("id"), f'duplicate consent id "{key}"')
        likeness = item.get("likeness")
        if not isinstance(likeness, list) or not likeness or not set(likeness) <= set(LIKENESS):
            reader.problem(
                path,
                item.line_of("likeness"),
                "likeness must list one or more of face, voice, name",
            )
            likeness = []
        dates = {}
        for date_key in ("granted", "expires"):
            value = item.get(date_key)
            if date_key in item and not isinstance(value, date):
                reader.problem(
                    path, item.line_of(date_key), f"{date_key} must be a date (YYYY-MM-DD)"
                )
            dates[date_key] = _start_of(value) if isinstance(value, date) else None
        if dates["granted"] and dates["expires"] and dates["expires"] <= dates["granted"]:
            reader.problem(path, item.line_of("expires"), "expires must be after granted")
        if key:
            consents[key] = {
                "key": key,
                "person": reader.text(path, item, "person"),
                "likeness": list(likeness),
                "permitted_use": reader.text(path, item, "permitted_use"),
                "obtained_how": reader.text(path, item, "obtained"),
                "granted_at": dates["granted"],
                "expires_at": dates["expires"],
            }
    return consents


def _read_consent(
    reader: Reader, path: Path, data: Located, consents: dict[str, dict], now: datetime
) -> tuple[bool, str]:
    """An example that depicts a real person names a consent record valid now."""
    depicts = reader.boolean(path, data, "depicts_real_person", False)
    key = data.get("consent")
    if not depicts:
        if "consent" in data:
            reader.problem(
                path, data.line_of("consent"), "consent is only for depicts_real_person: true"
            )
        return False, ""
    line = data.line_of("consent" if "consent" in data else "depicts_real_person")
    record = consents.get(key) if isinstance(key, str) else None
    if key is None:
        reader.problem(
            path,
            line,
            'an example that depicts a real person needs "consent": an id in consents.yaml',
        )
    elif record is None:
        reader.problem(path, line, f'no consent "{key}" in consents.yaml')
    elif record["granted_at"] and record["granted_at"] > now:
        reader.problem(
            path, line, f'consent "{key}" is not granted until {record["granted_at"]:%Y-%m-%d}'
        )
    elif record["expires_at"] and record["expires_at"] <= now:
        reader.problem(path, line, f'consent "{key}" expired on {record["expires_at"]:%Y-%m-%d}')
    return True, key if record else ""


EXAMPLE_REQUIRED = {"slug", "language", "title", "channel", "scam_type", "is_scam", "summary"}
EXAMPLE_OPTIONAL = {
    "age_rating", "synthetic", "provenance", "media", "alt", "body", "red_flags", "safe_spots",
    "depicts_real_person", "consent",
}  # fmt: skip


def read_examples(
    reader: Reader,
    root: Path,
    scam_types: set[str],
    consents: dict[str, dict],
    now: datetime,
) -> dict[tuple[str, str], ExampleSpec]:
    examples: dict[tuple[str, str], ExampleSpec] = {}
    first_seen: dict[tuple[str, str], str] = {}
    for path in sorted((root / "examples").glob("*.yaml")):
        data = reader.load_yaml(path)
        if data is None or not reader.mapping(path, data, 1, "an example"):
            continue
        reader.keys(path, data, EXAMPLE_REQUIRED, EXAMPLE_OPTIONAL)
        spec = _read_example(reader, path, data, scam_types)
        if spec is None:
            continue
        depicts, consent = _read_consent(reader, path, data, consents, now)
        spec.data |= {"depicts_real_person": depicts, "consent": consent}
        spec.consent_at = reader.where(path, data.line_of("consent"))
        key = (spec.data["slug"], spec.data["language"])
        if key in examples:
            reader.problem(
                path,
                data.line_of("slug"),
                f'duplicate example slug "{key[0]}" in {key[1]} (also in {first_seen[key]})',
            )
            continue
        examples[key] = spec
        first_seen[key] = reader.name_of(path)
    return examples


def _read_example(
    reader: Reader, path: Path, data: Located, scam_types: set[str]
) -> ExampleSpec | None:
    slug, language = reader.slug(path, data), reader.language(path, data)
    channel = data.get("channel")
    if "channel" in data and channel not in Channel.values:
        reader.problem(
            path,
            data.line_of("channel"),
            f"unknown channel {channel!r} (use {', '.join(Channel.values)})",
        )
        channel = None
    scam_type = data.get("scam_type")
    if "scam_type" in data and scam_type not in scam_types:
        reader.problem(path, data.line_of("scam_type"), f'unknown scam type "{scam_type}"')
    is_scam = reader.boolean(path, data, "is_scam", False)
    synthetic = reader.boolean(path, data, "synthetic", False)
    provenance = _read_provenance(reader, path, data, synthetic)
    media = _read_media(reader, path, data, channel)
    alt = reader.text(path, data, "alt", required=False)
    if ("image" in media or "poster" in media) and not alt:
        reader.problem(path, data.line, 'an example with a picture needs "alt" text')
    body = _read_body(reader, path, data, channel)
    spots = []
    keys: set[str] = set()
    for list_key, is_flag in (("red_flags", True), ("safe_spots", False)):
        spots += _read_spots(reader, path, data, list_key, is_flag, body, media, keys)
    _check_overlaps(reader, path, data, spots, body)
    if not (slug and language and channel):
        return None
    return ExampleSpec(
        data={
            "slug": slug,
            "language": language,
            "title": reader.text(path, data, "title"),
            "channel": channel,
            "scam_type": scam_type,
            "is_scam": is_scam,
            "summary": reader.text(path, data, "summary"),
            "age_rating": reader.age_rating(path, data),
            "synthetic": synthetic,
            "provenance": provenance,
            "alt": alt,
            "body": body,
            "spots": spots,
        },
        media=media,
    )


def _check_overlaps(reader: Reader, path: Path, data: Located, spots: list, body: dict) -> None:
    """Two spans may not share characters: a learner could not tick both."""
    taken: dict[str, list[tuple[int, int, str]]] = {}
    for spot in spots:
        text = field_text(body, spot.get("field") or "") if spot.get("field") else None
        if not text or not spot.get("text") or spot["text"] not in text:
            continue
        start = text.find(spot["text"])
        end = start + len(spot["text"])
        for other_start, other_end, other in taken.get(spot["field"], []):
            if start < other_end and other_start < end:
                reader.problem(
                    path,
                    data.line_of("red_flags" if spot["is_flag"] else "safe_spots"),
                    f'"{spot["key"]}" overlaps "{other}" in {spot["field"]}',
                )
        taken.setdefault(spot["field"], []).append((start, end, spot["key"]))


def _read_provenance(reader: Reader, path: Path, data: Located, synthetic: bool) -> dict:
    value = data.get("provenance")
    if value is None:
        if synthetic:
            reader.problem(path, data.line, "a synthetic example needs a provenance record")
        return {}
    if not reader.mapping(path, value, data.line_of("provenance"), "provenance"):
        return {}
    reader.keys(path, value, {"generator", "method", "created"}, set())
    created = value.get("created")
    if "created" in value and not isinstance(created, date):
        reader.problem(path, value.line_of("created"), "created must be a date (YYYY-MM-DD)")
    return {
        "generator": reader.text(path, value, "generator"),
        "method": reader.text(path, value, "method"),
        "created": created.isoformat() if isinstance(created, date) else "",
    }


def _read_media(reader: Reader, path: Path, data: Located, channel: str | None) -> dict[str, Path]:
    value = data.get("media") or Located()
    media: dict[str, Path] = {}
    if not reader.mapping(path, value, data.line_of("media"), "media"):
        return media
    reader.keys(path, value, set(), set(MEDIA_SLOTS))
    for slot in MEDIA_SLOTS:
        if slot in value:
            found = reader.media_file(path, value.line_of(slot), slot, value[slot])
            if found:
                media[slot] = found
    for slot in sorted(CHANNEL_MEDIA.get(channel or "", set()) - set(value)):
        reader.problem(path, data.line_of("media"), f'a {channel} example needs media "{slot}"')
    return media


def _read_body(reader: Reader, path: Path, data: Located, channel: str | None) -> dict:
    body = data.get("body") or Located()
    if not reader.mapping(path, body, data.line_of("body"), "body") or channel is None:
        return {}
    required, optional = CHANNEL_FIELDS[channel]
    reader.keys(path, body, required, optional)
    clean: dict[str, Any] = {}
    for key, value in body.items():
        line = body.line_of(key)
        if key in LIST_FIELDS:
            clean[key] = _read_items(reader, path, value, line, key)
        elif key in STRING_LIST_FIELDS:
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                reader.problem(path, line, f'"{key}" must be a list of text')
            else:
                clean[key] = list(value)
        elif key == "sponsored":
            clean[key] = reader.boolean(path, body, key, False)
        elif key == "kind":
            if value not in ("call", "clip"):
                reader.problem(path, line, 'video "kind" must be call or clip')
            clean[key] = value
        else:
            clean[key] = reader.text(path, body, key)
    return clean


def _read_items(reader: Reader, path: Path, value: Any, line: int, key: str) -> list[dict]:
    if not isinstance(value, LocatedList) or not value:
        reader.problem(path, line, f'"{key}" must be a non-empty list')
        return []
    items = []
    for item, item_line in zip(value, value.lines, strict=True):
        if not reader.mapping(path, item, item_line, f"an item of {key}"):
            continue
        reader.keys(path, item, {"text"}, LIST_FIELDS[key] - {"text"})
        clean = {"text": reader.text(path, item, "text")}
        if key == "messages":
            sender = item.get("from", "them")
            if sender not in ("them", "me"):
                reader.problem(path, item.line_of("from"), '"from" must be them or me')
            clean |= {"from": sender, "time": reader.text(path, item, "time", required=False)}
        else:
            at = item.get("at", 0)
            if not isinstance(at, (int, float)) or isinstance(at, bool) or at < 0:
                reader.problem(path, item.line_of("at"), '"at" must be seconds (a number >= 0)')
                at = 0
            clean |= {"at": float(at), "speaker": reader.text(path, item, "speaker")}
        items.append(clean)
    return items


def field_text(body: dict, name: str) -> str | None:
    """The text a span refers to: a body field, or item N of a list field ("messages.2")."""
    head, _, index = name.partition(".")
    value = body.get(head)
    if index:
        if not index.isdigit() or not isinstance(value, list) or int(index) >= len(value):
            return None
        value = value[int(index)]
        return value.get("text") if isinstance(value, dict) else value
    return value if isinstance(value, str) else None


def _read_spots(
    reader: Reader,
    path: Path,
    data: Located,
    list_key: str,
    is_flag: bool,
    body: dict,
    media: dict[str, Path],
    keys: set[str],
) -> list[dict]:
    value = data.get(list_key)
    if value is None:
        return []
    if not isinstance(value, LocatedList):
        reader.problem(path, data.line_of(list_key), f'"{list_key}" must be a list')
        return []
    spots = []
    for item, line in zip(value, value.lines, strict=True):
        if not reader.mapping(path, item, line, "a red flag"):
            continue
        reader.keys(path, item, {"id", "label", "explanation", "where"}, set())
        key = reader.slug(path, item, "id")
        if key in keys:
            reader.problem(path, item.line_of("id"), f'duplicate red flag id "{key}"')
        keys.add(key)
        where = _read_where(reader, path, item, body, media)
        spots.append(
            {
                "key": key,
                "is_flag": is_flag,
                "label": reader.text(path, item, "label"),
                "explanation": reader.text(path, item, "explanation"),
                **where,
            }
        )
    return spots


def _read_where(
    reader: Reader, path: Path, item: Located, body: dict, media: dict[str, Path]
) -> dict:
    where = item.get("where")
    line = item.line_of("where")
    if where is None or not reader.mapping(path, where, line, '"where"'):
        return {}
    forms = [key for key in ("field", "region", "time") if key in where]
    if len(forms) != 1:
        reader.problem(path, line, '"where" needs exactly one of field (with text), region, time')
        return {}
    if forms == ["field"]:
        reader.keys(path, where, {"field", "text"}, set())
        name, text = where.get("field"), where.get("text")
        target = field_text(body, name) if isinstance(name, str) else None
        if target is None:
            reader.problem(path, where.line_of("field"), f"no body field {name!r} to point at")
        elif not isinstance(text, str) or not text or text not in target:
            reader.problem(path, where.line_of("text"), f"text {text!r} does not occur in {name}")
        return {"field": name, "text": text}
    if forms == ["region"]:
        reader.keys(path, where, {"region"}, set())
        region = where["region"]
        if not ("image" in media or "poster" in media):
            reader.problem(path, line, "a region needs an image or a video poster")
        if not _valid_region(region):
            reader.problem(
                path,
                where.line_of("region"),
                "region must be [x, y, w, h] in percent, inside 0-100",
            )
            return {}
        return {"region": [float(v) for v in region]}
    reader.keys(path, where, {"time"}, set())
    time = where["time"]
    if not ("audio" in media or "video" in media):
        reader.problem(path, line, "a time needs audio or video")
    times = time if isinstance(time, list) else [time]
    numbers = all(isinstance(t, (int, float)) and not isinstance(t, bool) and t >= 0 for t in times)
    if not numbers or len(times) not in (1, 2) or (len(times) == 2 and times[1] <= times[0]):
        reader.problem(path, where.line_of("time"), "time must be seconds, or [start, end]")
        return {}
    return {
        "time_start": float(times[0]),
        "time_end": float(times[-1]) if len(times) == 2 else None,
    }


def _valid_region(region: Any) -> bool:
    if not isinstance(region, list) or len(region) != 4:
        return False
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in region):
        return False
    x, y, w, h = region
    return x >= 0 and y >= 0 and w > 0 and h > 0 and x + w <= 100 and y + h <= 100
