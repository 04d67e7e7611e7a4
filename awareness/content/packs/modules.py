"""Reading a pack's modules: steps, lessons, questions and their choices."""

from pathlib import Path
from typing import Any

from awareness.content.models import Audience, QuestionKind
from awareness.content.packs.reader import (
    CONFIDENCE_KINDS,
    ExampleSpec,
    Located,
    LocatedList,
    ModuleSpec,
    Reader,
)

MODULE_REQUIRED = {"slug", "language", "title", "summary", "scam_types", "minutes", "steps"}
MODULE_OPTIONAL = {"audiences", "age_rating"}
QUESTION_KEYS = {"kind", "prompt", "explanation", "example", "examples", "choices", "confidence"}


def read_modules(
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
        seen[(slug, language)] = reader.name_of(path)
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
