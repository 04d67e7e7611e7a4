import hashlib
import io
from dataclasses import dataclass, field
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Max
from PIL import Image

from awareness.content.caching import content_changed
from awareness.content.models import (
    Choice,
    Example,
    Module,
    Question,
    RedFlag,
    ScamType,
    Step,
    StepKind,
)
from awareness.content.packs import (
    MEDIA_SLOTS,
    ExampleSpec,
    ModuleSpec,
    Pack,
    PackError,
    media_extension,
)
from awareness.safety.media import clean_picture, content_credentials
from awareness.safety.models import ConsentRecord
from awareness.safety.services import record_audit


@dataclass
class LoadReport:
    created: dict[str, int] = field(default_factory=lambda: {"example": 0, "module": 0})
    unchanged: dict[str, int] = field(default_factory=lambda: {"example": 0, "module": 0})
    questions: int = 0
    published: list[str] = field(default_factory=list)  # "kind slug language vN"

    def count(self, kind: str, created: bool) -> None:
        (self.created if created else self.unchanged)[kind] += 1


@transaction.atomic
def load_pack(pack: Pack) -> LoadReport:
    """Write a validated pack. Unchanged content is left alone; changed content becomes a new
    current version and the old version stays for the attempts that point at it. Raises
    PackError, writing nothing, when an example relies on consent revoked since."""
    report = LoadReport()
    consents = _record_consents(pack)
    scam_types = {}
    for spec in pack.scam_types:
        scam_types[spec["slug"]], _ = ScamType.objects.update_or_create(
            slug=spec["slug"],
            defaults={"names": spec["names"], "descriptions": spec["descriptions"]},
        )
    examples = {
        key: _load_example(pack, spec, scam_types, consents, report)
        for key, spec in pack.examples.items()
    }
    for spec in pack.modules:
        _load_module(pack, spec, examples, scam_types, report)
    content_changed()
    if report.published:
        record_audit(
            action="content.published",
            details={"pack": pack.name, "versions": report.published},
        )
    return report


def _record_consents(pack: Pack) -> dict[str, ConsentRecord]:
    """Create or update the pack's consent records. A revocation is never undone by a pack:
    an example relying on a revoked record stops the load."""
    records = {}
    for key, data in pack.consents.items():
        record, created = ConsentRecord.objects.get_or_create(
            key=key, defaults={**data, "pack": pack.name}
        )
        changed = [name for name, value in data.items() if getattr(record, name) != value]
        if changed:
            for name in changed:
                setattr(record, name, data[name])
            record.save(update_fields=changed)
        if created or changed:
            record_audit(
                action="consent.recorded" if created else "consent.updated",
                target=record,
                details={"pack": pack.name, "changed": changed},
            )
        records[key] = record
    revoked = [
        f'{spec.consent_at}: consent "{records[key].key}" was revoked on '
        f"{records[key].revoked_at:%Y-%m-%d}; remove this example or record new consent"
        for spec in pack.examples.values()
        if (key := spec.data["consent"]) and records[key].revoked_at is not None
    ]
    if revoked:
        raise PackError(revoked)
    return records


def _current_or_new(model, spec_data: dict, content_hash: str):
    """The row for this exact content, made current; or None when a new version is needed."""
    slug, language = spec_data["slug"], spec_data["language"]
    same = model.objects.filter(slug=slug, language=language, content_hash=content_hash).first()
    if same and not same.is_current:
        model.objects.filter(slug=slug, language=language, is_current=True).update(is_current=False)
        model.objects.filter(pk=same.pk).update(is_current=True)
        same.is_current = True
    if same:
        return same, None
    model.objects.filter(slug=slug, language=language, is_current=True).update(is_current=False)
    last = model.objects.filter(slug=slug, language=language).aggregate(v=Max("version"))["v"]
    return None, (last or 0) + 1


def _load_example(
    pack: Pack, spec: ExampleSpec, scam_types, consents, report: LoadReport
) -> Example:
    data = spec.data
    existing, version = _current_or_new(Example, data, spec.content_hash)
    report.count("example", existing is None)
    if existing:
        return existing
    media = {
        slot: _store_media(path, slot, synthetic=data["synthetic"])
        for slot, path in spec.media.items()
    }
    width, height = _picture_size(media.get("image") or media.get("poster"))
    example = Example.objects.create(
        picture_width=width,
        picture_height=height,
        slug=data["slug"],
        language=data["language"],
        version=version,
        content_hash=spec.content_hash,
        pack=pack.name,
        title=data["title"],
        summary=data["summary"],
        age_rating=data["age_rating"],
        channel=data["channel"],
        scam_type=scam_types[data["scam_type"]],
        is_scam=data["is_scam"],
        body=data["body"],
        alt=data["alt"],
        synthetic=data["synthetic"],
        provenance=data["provenance"],
        depicts_real_person=data["depicts_real_person"],
        consent=consents.get(data["consent"]),
        content_credentials={
            slot: credentials
            for slot, path in spec.media.items()
            if (credentials := content_credentials(path, media_extension(path, slot)))
        },
        **media,
    )
    report.published.append(f"example {example.slug} {example.language} v{version}")
    RedFlag.objects.bulk_create(
        RedFlag(
            example=example,
            position=position,
            key=spot["key"],
            is_flag=spot["is_flag"],
            label=spot["label"],
            explanation=spot["explanation"],
            field=spot.get("field") or "",
            text=spot.get("text") or "",
            region=spot.get("region"),
            time_start=spot.get("time_start"),
            time_end=spot.get("time_end"),
        )
        for position, spot in enumerate(data["spots"])
    )
    return example


def _store_media(path: Path, slot: str, *, synthetic: bool) -> str:
    """Content-addressed: the same file is stored once, whatever it is called in packs.
    Pictures are stored re-encoded, without the metadata they came with."""
    content = path.read_bytes()
    if MEDIA_SLOTS[slot] == "image":
        content = clean_picture(content, synthetic=synthetic)
    digest = hashlib.sha256(content).hexdigest()
    name = f"content/{digest[:2]}/{digest}.{media_extension(path, slot)}"
    if not default_storage.exists(name):
        default_storage.save(name, ContentFile(content))
    return name


def _picture_size(name: str | None) -> tuple[int | None, int | None]:
    if not name:
        return None, None
    with default_storage.open(name) as stored, Image.open(io.BytesIO(stored.read())) as picture:
        return picture.size


def _load_module(pack, spec: ModuleSpec, examples, scam_types, report: LoadReport) -> Module:
    data = spec.data
    existing, version = _current_or_new(Module, data, spec.content_hash)
    report.count("module", existing is None)
    if existing:
        return existing
    module = Module.objects.create(
        slug=data["slug"],
        language=data["language"],
        version=version,
        content_hash=spec.content_hash,
        pack=pack.name,
        title=data["title"],
        summary=data["summary"],
        age_rating=data["age_rating"],
        minutes=data["minutes"],
        audience_tags="," + ",".join(data["audiences"]) + ",",
    )
    report.published.append(f"module {module.slug} {module.language} v{version}")
    module.scam_types.set([scam_types[slug] for slug in data["scam_types"]])

    def example_for(slug: str | None) -> Example | None:
        if slug is None:
            return None
        return examples.get((slug, data["language"])) or examples[(slug, "en")]

    for position, step_data in enumerate(data["steps"]):
        step = Step.objects.create(
            module=module,
            position=position,
            kind=step_data["kind"],
            title=step_data.get("title", ""),
            text=step_data.get("text", ""),
            example=example_for(step_data.get("example"))
            if step_data["kind"] == StepKind.EXAMPLE
            else None,
        )
        if step_data["kind"] == StepKind.QUESTION:
            _create_question(step, step_data, example_for)
            report.questions += 1
    return module


def _create_question(step: Step, data: dict, example_for) -> None:
    pair = [example_for(slug) for slug in data["examples"]]
    question = Question.objects.create(
        step=step,
        kind=data["question_kind"],
        prompt=data["prompt"],
        explanation=data["explanation"],
        example=example_for(data["example"]) or (pair[0] if pair else None),
        other_example=pair[1] if pair else None,
        asks_confidence=data["confidence"],
    )
    Choice.objects.bulk_create(
        Choice(
            question=question,
            position=position,
            text=choice["text"],
            is_correct=choice["correct"],
            explanation=choice["explanation"],
        )
        for position, choice in enumerate(data["choices"])
    )
