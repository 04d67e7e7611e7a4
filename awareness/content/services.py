import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Max

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
    ExampleSpec,
    ModuleSpec,
    Pack,
    media_extension,
    picture_size,
)


@dataclass
class LoadReport:
    created: dict[str, int] = field(default_factory=lambda: {"example": 0, "module": 0})
    unchanged: dict[str, int] = field(default_factory=lambda: {"example": 0, "module": 0})
    questions: int = 0

    def count(self, kind: str, created: bool) -> None:
        (self.created if created else self.unchanged)[kind] += 1


@transaction.atomic
def load_pack(pack: Pack) -> LoadReport:
    """Write a validated pack. Unchanged content is left alone; changed content becomes a new
    current version and the old version stays for the attempts that point at it."""
    report = LoadReport()
    scam_types = {}
    for spec in pack.scam_types:
        scam_types[spec["slug"]], _ = ScamType.objects.update_or_create(
            slug=spec["slug"],
            defaults={"names": spec["names"], "descriptions": spec["descriptions"]},
        )
    examples = {
        key: _load_example(pack, spec, scam_types, report) for key, spec in pack.examples.items()
    }
    for spec in pack.modules:
        _load_module(pack, spec, examples, scam_types, report)
    return report


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


def _load_example(pack: Pack, spec: ExampleSpec, scam_types, report: LoadReport) -> Example:
    data = spec.data
    existing, version = _current_or_new(Example, data, spec.content_hash)
    report.count("example", existing is None)
    if existing:
        return existing
    picture = spec.media.get("image") or spec.media.get("poster")
    width, height = picture_size(picture) if picture else (None, None)
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
        **{slot: _store_media(path, slot) for slot, path in spec.media.items()},
    )
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


def _store_media(path: Path, slot: str) -> str:
    """Content-addressed: the same file is stored once, whatever it is called in packs."""
    content = path.read_bytes()
    digest = hashlib.sha256(content).hexdigest()
    name = f"content/{digest[:2]}/{digest}.{media_extension(path, slot)}"
    if not default_storage.exists(name):
        with path.open("rb") as source:
            default_storage.save(name, source)
    return name


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
