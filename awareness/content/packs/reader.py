"""The pack reader: YAML with line numbers, the problems list, the specs a pack reads into."""

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from PIL import Image, UnidentifiedImageError

from awareness.content.models import AgeRating, Language

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
        return f"{self.name_of(path)}:{line}"

    def name_of(self, path: Path) -> str:
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


def translations(reader: Reader, path: Path, data: Located, key: str, required: bool) -> dict:
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


def content_hash(data: dict, media: dict[str, Path], extra: dict | None = None) -> str:
    digest = hashlib.sha256(json.dumps([data, extra or {}], sort_keys=True).encode())
    for slot in sorted(media):
        digest.update(slot.encode())
        digest.update(hashlib.sha256(media[slot].read_bytes()).digest())
    return digest.hexdigest()
