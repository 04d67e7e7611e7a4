"""Content packs: read and validate a folder of YAML + media, then load it in one transaction.

Validation reads everything first and reports every problem as `file:line: message`; loading
happens only when there is none. See PACKS.md for the format.
"""

from datetime import datetime
from pathlib import Path

from django.utils import timezone

from awareness.content.packs.examples import field_text, read_consents, read_examples
from awareness.content.packs.modules import read_modules
from awareness.content.packs.reader import (
    MEDIA_SLOTS,
    ExampleSpec,
    LocatedList,
    ModuleSpec,
    Pack,
    PackError,
    Reader,
    content_hash,
    media_extension,
    translations,
)

__all__ = [
    "MEDIA_SLOTS",
    "ExampleSpec",
    "ModuleSpec",
    "Pack",
    "PackError",
    "field_text",
    "media_extension",
    "read_pack",
]


def read_pack(root: Path, *, now: datetime | None = None) -> Pack:
    """Read and validate a whole pack; raise PackError listing every problem. Consent must be
    valid at `now` (default: this moment)."""
    root = Path(root)
    reader = Reader(root)
    if not root.is_dir():
        raise PackError([f"{root}: not a folder"])
    name = _read_manifest(reader, root)
    scam_types = _read_scam_types(reader, root)
    consents = read_consents(reader, root)
    examples = read_examples(
        reader, root, {t["slug"] for t in scam_types}, consents, now or timezone.now()
    )
    modules = read_modules(reader, root, examples, {t["slug"] for t in scam_types})
    if reader.problems:
        raise PackError(reader.problems)
    for example in examples.values():
        example.content_hash = content_hash(example.data, example.media)
    for module in modules:
        module.content_hash = content_hash(
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
        names = translations(reader, path, item, "name", required=True)
        descriptions = translations(reader, path, item, "description", required=False)
        if slug in seen:
            reader.problem(path, item.line_of("slug"), f'duplicate scam type slug "{slug}"')
        if slug:
            seen.add(slug)
            types.append({"slug": slug, "names": names, "descriptions": descriptions})
    return types
