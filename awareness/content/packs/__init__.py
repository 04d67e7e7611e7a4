"""Content packs: read and validate a folder of YAML + media, then load it in one transaction.

Validation reads everything first and reports every problem as `file:line: message`; loading
happens only when there is none. See PACKS.md for the format.
"""

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import yaml
from django.utils import timezone
from PIL import Image, UnidentifiedImageError

from awareness.content.models import AgeRating, Audience, Channel, Language, QuestionKind

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_MEDIA_BYTES = 20 * 1024 * 1024
AGE_RATINGS = {"all": AgeRating.ALL, 13: 13, 16: 16, 18: 18}
CONFIDENCE_KINDS = {"single", "multiple", "scam_or_legit", "which_is_real"}

# Media are recognised by their first bytes, never by their file names.
MEDIA_SIGNATURES: dict[str, list[tuple[str, Any]]] = {
    "image": [
        ("png", lambda b: b.startswith(b"\x89PNG\r\n\x1a\n")),
        ("jpg", lambda b: b.startswith(b"\xff\xd8\xff")),
        ("webp", lambda b: b[:4] == b"RIFF" and b[8:12] == b"WEBP"),
    ],
    "audio": [
        ("ogg", lambda b: b.startswith(b"OggS")),
        ("wav", lambda b: b[:4] == b"RIFF" and b[8:12] == b"WAVE"),
        ("mp3", lambda b: b.startswith(b"ID3") or b[:2] in (b"\xff\xfb", b"\xff\xf3", b"\xff\xf2")),
    ],
    "video": [
        ("webm", lambda b: b.startswith(b"\x1a\x45\xdf\xa3")),
        ("mp4", lambda b: b[4:8] == b"ftyp"),
    ],
}
MEDIA_SLOTS = {"image": "image", "poster": "image", "audio": "audio", "video": "video"}

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


class PackError(Exception):
    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


# --- YAML with line numbers -------------------------------------------------------------------


class Located(dict):
    """A YAML mapping that remembers the line of itself and of each key."""

    line: int = 0

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.lines: dict[str, int] = {}

    def line_of(self, key: str) -> int:
        return self.lines.get(key, self.line)


class LocatedList(list):
    line: int = 0

    def __init__(self, *args):
        super().__init__(*args)
        self.lines: list[int] = []


class DuplicateKey(yaml.MarkedYAMLError):
    pass


class PackLoader(yaml.SafeLoader):
    pass


def _construct_mapping(loader: PackLoader, node: yaml.MappingNode):
    data = Located()
    data.line = node.start_mark.line + 1
    yield data
    loader.flatten_mapping(node)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in data:
            raise DuplicateKey(
                problem=f'key "{key}" appears twice', problem_mark=key_node.start_mark
            )
        data[key] = loader.construct_object(value_node, deep=True)
        data.lines[key] = key_node.start_mark.line + 1


def _construct_sequence(loader: PackLoader, node: yaml.SequenceNode):
    data = LocatedList()
    data.line = node.start_mark.line + 1
    yield data
    for item in node.value:
        data.append(loader.construct_object(item, deep=True))
        data.lines.append(item.start_mark.line + 1)


PackLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
PackLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


# --- What a valid pack becomes ----------------------------------------------------------------


@dataclass
class ExampleSpec:
    data: dict
    media: dict[str, Path]
    content_hash: str = ""
    consent_at: str = ""  # file:line of its "consent", for problems found while loading


@dataclass
class ModuleSpec:
    data: dict
    examples: dict[str, "ExampleSpec"] = field(default_factory=dict)
    content_hash: str = ""


@dataclass
class Pack:
    name: str
    root: Path
    scam_types: list[dict]
    examples: dict[tuple[str, str], ExampleSpec]
    modules: list[ModuleSpec]
    consents: dict[str, dict] = field(default_factory=dict)


# --- Reading and validation -------------------------------------------------------------------


class Reader:
    """Reads a pack, collecting every problem instead of stopping at the first."""

    def __init__(self, root: Path):
        self.root = root
        self.problems: list[str] = []

    def problem(self, path: Path, line: int, message: str) -> None:
        self.problems.append(f"{self.where(path, line)}: {message}")

    def where(self, path: Path, line: int) -> str:
        return f"{self._name(path)}:{line}"

    def _name(self, path: Path) -> str:
        try:
            return str(path.relative_to(self.root))
        except ValueError:
            return str(path)

    def load_yaml(self, path: Path) -> Any:
        try:
            return yaml.load(path.read_text(encoding="utf-8"), Loader=PackLoader)  # noqa: S506 -- PackLoader is a SafeLoader
        except yaml.MarkedYAMLError as error:
            mark = error.problem_mark or error.context_mark
            self.problem(path, (mark.line + 1) if mark else 1, f"not valid YAML: {error.problem}")
        except (yaml.YAMLError, UnicodeDecodeError) as error:
            self.problem(path, 1, f"not valid YAML: {error}")
        return None

    def mapping(self, path: Path, value: Any, line: int, what: str) -> bool:
        if not isinstance(value, Located):
            self.problem(path, line, f"{what} must be a mapping of keys to values")
            return False
        return True

    def keys(self, path: Path, data: Located, required: set[str], optional: set[str]) -> None:
        for key in data:
            if key not in required | optional:
                allowed = ", ".join(sorted(required | optional))
                self.problem(path, data.line_of(key), f'unknown key "{key}" (allowed: {allowed})')
        for key in sorted(required - set(data)):
            self.problem(path, data.line, f'missing required key "{key}"')

    def text(self, path: Path, data: Located, key: str, *, required: bool = True) -> str:
        value = data.get(key)
        if value is None:
            return ""
        if isinstance(value, (date, int, float)) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str) or (required and not value.strip()):
            self.problem(path, data.line_of(key), f'"{key}" must be non-empty text')
            return ""
        return value.strip()

    def slug(self, path: Path, data: Located, key: str = "slug") -> str:
        value = data.get(key)
        if not isinstance(value, str) or not SLUG.match(value):
            if key in data:
                self.problem(
                    path,
                    data.line_of(key),
                    f'"{key}" must be lower-case letters, digits and hyphens, got {value!r}',
                )
            return ""
        return value

    def boolean(self, path: Path, data: Located, key: str, default: bool) -> bool:
        value = data.get(key, default)
        if not isinstance(value, bool):
            self.problem(path, data.line_of(key), f'"{key}" must be true or false')
            return default
        return value

    def language(self, path: Path, data: Located) -> str:
        value = data.get("language")
        if value not in Language.values:
            if "language" in data:
                self.problem(
                    path,
                    data.line_of("language"),
                    f"unsupported language {value!r} (use {' or '.join(Language.values)})",
                )
            return ""
        return value

    def age_rating(self, path: Path, data: Located) -> int:
        value = data.get("age_rating", "all")
        if value not in AGE_RATINGS:
            self.problem(path, data.line_of("age_rating"), "age_rating must be all, 13, 16 or 18")
            return 0
        return int(AGE_RATINGS[value])

    def media_file(self, path: Path, line: int, slot: str, value: Any) -> Path | None:
        if not isinstance(value, str) or not value:
            self.problem(path, line, f'media "{slot}" must be a path inside the pack')
            return None
        target = (self.root / value).resolve()
        if not target.is_relative_to(self.root.resolve()):
            self.problem(path, line, f"media path {value!r} leaves the pack folder")
            return None
        if not target.is_file():
            self.problem(path, line, f"media file {value!r} does not exist")
            return None
        if target.stat().st_size > MAX_MEDIA_BYTES:
            self.problem(path, line, f"media file {value!r} is larger than 20 MB")
            return None
        head = target.read_bytes()[:16]
        kind = MEDIA_SLOTS[slot]
        if not any(matches(head) for _, matches in MEDIA_SIGNATURES[kind]):
            formats = ", ".join(name.upper() for name, _ in MEDIA_SIGNATURES[kind])
            self.problem(path, line, f"unsupported media in {value!r}: {slot} must be {formats}")
            return None
        if kind == "image" and picture_size(target) is None:
            self.problem(path, line, f"{value!r} cannot be read as a picture")
            return None
        return target


def picture_size(path: Path) -> tuple[int, int] | None:
    try:
        with Image.open(path) as picture:
            return picture.size
    except (UnidentifiedImageError, OSError):
        return None


def media_extension(path: Path, slot: str) -> str:
    head = path.read_bytes()[:16]
    return next(name for name, matches in MEDIA_SIGNATURES[MEDIA_SLOTS[slot]] if matches(head))


def read_pack(root: Path, *, now: datetime | None = None) -> Pack:
    """Read and validate a whole pack; raise PackError listing every problem. Consent must be
    valid at `now` (default: this moment)."""
    root = Path(root)
    reader = Reader(root)
    if not root.is_dir():
        raise PackError([f"{root}: not a folder"])
    name = _read_manifest(reader, root)
    scam_types = _read_scam_types(reader, root)
    consents = _read_consents(reader, root)
    examples = _read_examples(
        reader, root, {t["slug"] for t in scam_types}, consents, now or timezone.now()
    )
    modules = _read_modules(reader, root, examples, {t["slug"] for t in scam_types})
    if reader.problems:
        raise PackError(reader.problems)
    for example in examples.values():
        example.content_hash = _hash(example.data, example.media)
    for module in modules:
        module.content_hash = _hash(
            module.data, {}, {slug: spec.content_hash for slug, spec in module.examples.items()}
        )
    return Pack(name, root, scam_types, examples, modules, consents)


def _read_manifest(reader: Reader, root: Path) -> str:
    path = root / "pack.yaml"
    if not path.is_file():
        reader.problem(path, 1, "missing pack.yaml (name and description of the pack)")
        return root.name
    data = reader.load_yaml(path)
    if data is None or not reader.mapping(path, data, 1, "pack.yaml"):
        return root.name
    reader.keys(path, data, {"name"}, {"description"})
    return reader.text(path, data, "name") or root.name


def _read_scam_types(reader: Reader, root: Path) -> list[dict]:
    path = root / "scam_types.yaml"
    if not path.is_file():
        reader.problem(path, 1, "missing scam_types.yaml")
        return []
    data = reader.load_yaml(path)
    if data is None:
        return []
    if not isinstance(data, LocatedList):
        reader.problem(path, 1, "scam_types.yaml must be a list of scam types")
        return []
    seen: set[str] = set()
    types = []
    for item, line in zip(data, data.lines, strict=True):
        if not reader.mapping(path, item, line, "a scam type"):
            continue
        reader.keys(path, item, {"slug", "name"}, {"description"})
        slug = reader.slug(path, item)
        names = _translations(reader, path, item, "name", required=True)
        descriptions = _translations(reader, path, item, "description", required=False)
        if slug in seen:
            reader.problem(path, item.line_of("slug"), f'duplicate scam type slug "{slug}"')
        if slug:
            seen.add(slug)
            types.append({"slug": slug, "names": names, "descriptions": descriptions})
    return types


def _translations(reader: Reader, path: Path, data: Located, key: str, required: bool) -> dict:
    value = data.get(key)
    if value is None:
        return {}
    if not isinstance(value, Located) or not all(isinstance(v, str) for v in value.values()):
        reader.problem(path, data.line_of(key), f'"{key}" must map languages to text')
        return {}
    for language in value:
        if language not in Language.values:
            reader.problem(path, value.line_of(language), f"unsupported language {language!r}")
    if required and "en" not in value:
        reader.problem(path, data.line_of(key), f'"{key}" needs an English ("en") text')
    return dict(value)


CONSENT_REQUIRED = {"id", "person", "likeness", "permitted_use", "obtained", "granted"}
LIKENESS = ("face", "voice", "name")


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _read_consents(reader: Reader, root: Path) -> dict[str, dict]:
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


def _read_examples(
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
        first_seen[key] = reader._name(path)
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


MODULE_REQUIRED = {"slug", "language", "title", "summary", "scam_types", "minutes", "steps"}
MODULE_OPTIONAL = {"audiences", "age_rating"}
QUESTION_KEYS = {"kind", "prompt", "explanation", "example", "examples", "choices", "confidence"}


def _read_modules(
    reader: Reader,
    root: Path,
    examples: dict[tuple[str, str], ExampleSpec],
    scam_types: set[str],
) -> list[ModuleSpec]:
    modules: list[ModuleSpec] = []
    seen: dict[tuple[str, str], str] = {}
    for path in sorted((root / "modules").glob("*.yaml")):
        data = reader.load_yaml(path)
        if data is None or not reader.mapping(path, data, 1, "a module"):
            continue
        reader.keys(path, data, MODULE_REQUIRED, MODULE_OPTIONAL)
        slug, language = reader.slug(path, data), reader.language(path, data)
        if (slug, language) in seen:
            reader.problem(
                path,
                data.line_of("slug"),
                f'duplicate module "{slug}" in {language} (also in {seen[(slug, language)]})',
            )
            continue
        seen[(slug, language)] = reader._name(path)
        module = ModuleSpec(data={})
        module.data = {
            "slug": slug,
            "language": language,
            "title": reader.text(path, data, "title"),
            "summary": reader.text(path, data, "summary"),
            "age_rating": reader.age_rating(path, data),
            "minutes": _read_minutes(reader, path, data),
            "scam_types": _read_tags(reader, path, data, "scam_types", scam_types, "scam type"),
            "audiences": _read_tags(
                reader, path, data, "audiences", set(Audience.values), "audience"
            ),
        }
        resolve = _example_resolver(reader, path, examples, language, module)
        module.data["steps"] = _read_steps(reader, path, data, resolve)
        modules.append(module)
    return modules


def _read_minutes(reader: Reader, path: Path, data: Located) -> int:
    minutes = data.get("minutes")
    if "minutes" in data and (not isinstance(minutes, int) or not 1 <= minutes <= 120):
        reader.problem(path, data.line_of("minutes"), "minutes must be a whole number, 1-120")
        return 1
    return minutes or 1


def _read_tags(
    reader: Reader, path: Path, data: Located, key: str, allowed: set[str], what: str
) -> list[str]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        reader.problem(path, data.line_of(key), f'"{key}" must be a list')
        return []
    for tag in value:
        if tag not in allowed:
            reader.problem(path, data.line_of(key), f'unknown {what} "{tag}"')
    return list(value)


def _example_resolver(reader, path, examples, language, module: ModuleSpec):
    def resolve(slug: Any, line: int) -> ExampleSpec | None:
        spec = examples.get((slug, language)) or examples.get((slug, "en"))
        if spec is None:
            reader.problem(path, line, f'no example "{slug}" in this pack')
            return None
        module.examples[slug] = spec
        return spec

    return resolve


def _read_steps(reader: Reader, path: Path, data: Located, resolve) -> list[dict]:
    value = data.get("steps")
    if not isinstance(value, LocatedList) or not value:
        if "steps" in data:
            reader.problem(path, data.line_of("steps"), '"steps" must be a non-empty list')
        return []
    steps = []
    for item, line in zip(value, value.lines, strict=True):
        if not reader.mapping(path, item, line, "a step") or len(item) != 1:
            if isinstance(item, Located):
                reader.problem(path, line, "a step has exactly one of lesson, example, question")
            continue
        kind = next(iter(item))
        if kind == "lesson":
            steps.append(_read_lesson(reader, path, item))
        elif kind == "example":
            spec = resolve(item["example"], item.line_of("example"))
            steps.append({"kind": "example", "example": spec and spec.data["slug"]})
        elif kind == "question":
            steps.append(_read_question(reader, path, item, resolve))
        else:
            reader.problem(path, line, f'unknown step "{kind}" (use lesson, example or question)')
    return steps


def _read_lesson(reader: Reader, path: Path, item: Located) -> dict:
    lesson = item["lesson"]
    if not reader.mapping(path, lesson, item.line_of("lesson"), "a lesson"):
        return {"kind": "lesson"}
    reader.keys(path, lesson, {"title", "text"}, set())
    return {
        "kind": "lesson",
        "title": reader.text(path, lesson, "title"),
        "text": reader.text(path, lesson, "text"),
    }


def _read_question(reader: Reader, path: Path, item: Located, resolve) -> dict:
    question = item["question"]
    if not reader.mapping(path, question, item.line_of("question"), "a question"):
        return {"kind": "question"}
    kind = question.get("kind")
    if kind not in QuestionKind.values:
        reader.problem(
            path,
            question.line_of("kind"),
            f"unknown question kind {kind!r} (use {', '.join(QuestionKind.values)})",
        )
        reader.keys(path, question, {"kind", "prompt"}, QUESTION_KEYS)
        return {"kind": "question"}
    needs = {
        "single": ({"choices"}, {"example"}),
        "multiple": ({"choices"}, {"example"}),
        "scam_or_legit": ({"example", "explanation"}, set()),
        "spot_flags": ({"example"}, {"explanation"}),
        "which_is_real": ({"examples", "explanation"}, set()),
    }[kind]
    optional = needs[1] | {"explanation"} | ({"confidence"} if kind in CONFIDENCE_KINDS else set())
    reader.keys(path, question, {"kind", "prompt"} | needs[0], optional)
    result = {
        "kind": "question",
        "question_kind": kind,
        "prompt": reader.text(path, question, "prompt"),
        "explanation": reader.text(path, question, "explanation", required=False),
        "confidence": reader.boolean(path, question, "confidence", kind in CONFIDENCE_KINDS),
        "example": None,
        "examples": [],
        "choices": [],
    }
    if "example" in question:
        spec = resolve(question["example"], question.line_of("example"))
        result["example"] = spec and spec.data["slug"]
        if kind == "spot_flags" and spec and not any(s["is_flag"] for s in spec.data["spots"]):
            reader.problem(path, question.line_of("example"), "spot_flags needs red flags")
    if kind == "which_is_real":
        result["examples"] = _read_pair(reader, path, question, resolve)
    if kind in ("single", "multiple"):
        result["choices"] = _read_choices(reader, path, question, kind)
    return result


def _read_pair(reader: Reader, path: Path, question: Located, resolve) -> list[str]:
    pair = question.get("examples")
    line = question.line_of("examples")
    if not isinstance(pair, list) or len(pair) != 2:
        reader.problem(path, line, '"examples" must list exactly two example slugs')
        return []
    specs = [resolve(slug, line) for slug in pair]
    if all(specs) and sum(not spec.data["is_scam"] for spec in specs) != 1:
        reader.problem(path, line, "exactly one of the two examples must be legitimate")
    return [spec.data["slug"] for spec in specs if spec]


def _read_choices(reader: Reader, path: Path, question: Located, kind: str) -> list[dict]:
    choices = question.get("choices")
    line = question.line_of("choices")
    if not isinstance(choices, LocatedList) or len(choices) < 2:
        reader.problem(path, line, '"choices" must list at least two choices')
        return []
    result = []
    for choice, choice_line in zip(choices, choices.lines, strict=True):
        if not reader.mapping(path, choice, choice_line, "a choice"):
            continue
        reader.keys(path, choice, {"text", "explanation"}, {"correct"})
        result.append(
            {
                "text": reader.text(path, choice, "text"),
                "correct": reader.boolean(path, choice, "correct", False),
                "explanation": reader.text(path, choice, "explanation"),
            }
        )
    correct = sum(choice["correct"] for choice in result)
    if kind == "single" and correct != 1:
        reader.problem(
            path, line, f"a single-choice question needs exactly one correct choice, has {correct}"
        )
    if kind == "multiple" and correct < 1:
        reader.problem(path, line, "a multiple-choice question needs at least one correct choice")
    return result


def _hash(data: dict, media: dict[str, Path], extra: dict | None = None) -> str:
    digest = hashlib.sha256(json.dumps([data, extra or {}], sort_keys=True).encode())
    for slot in sorted(media):
        digest.update(slot.encode())
        digest.update(hashlib.sha256(media[slot].read_bytes()).digest())
    return digest.hexdigest()
