"""Reads of learning content for learners: current versions, in their language (falling back
to English), never above their age rating, never an example that safety rules hide (nor a
module that uses one). Every list runs a fixed number of queries."""

from django.db.models import Prefetch, Q, prefetch_related_objects
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from awareness.content.caching import cached
from awareness.content.models import (
    DEFAULT_LANGUAGE,
    Choice,
    Example,
    Module,
    RedFlag,
    ScamType,
    Step,
)
from awareness.safety.selectors import shown_examples

LENGTHS = {"short": (0, 5), "medium": (6, 10), "long": (11, 999)}


class ModuleWithdrawn(Http404):
    """A module taken down because an example it uses may no longer be shown."""

    message = _(
        "This module has been withdrawn while we review some of its material. Your answers so "
        "far are kept. Choose another module from the catalogue."
    )


def withdrawn_module_ids() -> frozenset[int]:
    """Modules one of whose steps shows a hidden example (cached until content changes)."""
    return cached("withdrawn", _withdrawn_module_ids)


def _withdrawn_module_ids() -> frozenset[int]:
    shown = Example.objects.filter(shown_examples(timezone.now())).values("pk")
    hidden = Example.objects.exclude(pk__in=shown).values("pk")
    blocked = Step.objects.filter(
        Q(example__in=hidden)
        | Q(question__example__in=hidden)
        | Q(question__other_example__in=hidden)
    ).values_list("module_id", flat=True)
    return frozenset(blocked)


def _shown_modules() -> Q:
    """Modules none of whose steps shows a hidden example."""
    return ~Q(pk__in=withdrawn_module_ids())


def _in_language(rows: list, language: str) -> list:
    """One row per slug: the learner's language if there is one, else English."""
    chosen: dict[str, object] = {}
    for row in rows:
        if row.language == language or row.slug not in chosen:
            chosen[row.slug] = row
    return list(chosen.values())


def catalogue(
    *,
    language: str,
    max_age_rating: int,
    scam_type: str = "",
    audience: str = "",
    available_in: str = "",
    length: str = "",
) -> list[Module]:
    modules = Module.objects.filter(
        _shown_modules(),
        is_current=True,
        age_rating__lte=max_age_rating,
        language__in={language, DEFAULT_LANGUAGE},
    )
    if scam_type:
        modules = modules.filter(scam_types__slug=scam_type)
    if audience:
        modules = modules.filter(audience_tags__contains=f",{audience},")
    if length:
        low, high = LENGTHS[length]
        modules = modules.filter(minutes__gte=low, minutes__lte=high)
    if available_in:
        slugs = Module.objects.filter(
            _shown_modules(), is_current=True, language=available_in
        ).values("slug")
        modules = modules.filter(slug__in=slugs)
    rows = modules.prefetch_related("scam_types").order_by("slug", "language")
    chosen = _in_language(list(rows), available_in or language)
    return sorted(chosen, key=lambda module: module.title.casefold())


def scam_types() -> list[ScamType]:
    return cached("scam_types", lambda: list(ScamType.objects.all()))


def cached_page(name: str, render) -> str:
    """A rendered page that depends only on content and on what `name` says."""
    return cached(f"page:{name}", render)


def languages_by_module() -> dict[str, set[str]]:
    """Which languages each current module exists in (one query)."""
    result: dict[str, set[str]] = {}
    modules = Module.objects.filter(_shown_modules(), is_current=True)
    for slug, language in modules.values_list("slug", "language"):
        result.setdefault(slug, set()).add(language)
    return result


def module_for(slug: str, *, language: str, max_age_rating: int) -> Module:
    """The current module in the learner's language (else English); 404 above their age."""
    rows = list(
        Module.objects.filter(
            _shown_modules(),
            slug=slug,
            is_current=True,
            language__in={language, DEFAULT_LANGUAGE},
            age_rating__lte=max_age_rating,
        ).prefetch_related("scam_types")
    )
    chosen = _in_language(rows, language)
    if not chosen:
        raise Http404("No such module for this learner.")
    return chosen[0]


def module_version(pk: int) -> Module:
    """A module version by id, as an attempt refers to it (cached: versions never change)."""
    return cached(f"module:{pk}", lambda: Module.objects.get(pk=pk))


def _examples_with_spots() -> Prefetch:
    return Prefetch("spots", queryset=RedFlag.objects.order_by("position"))


def playable_module(module: Module, *, max_age_rating: int) -> Module:
    """The module of an attempt, if the learner may still play it: a 404 above their age,
    ModuleWithdrawn once an example it uses is hidden."""
    if module.age_rating > max_age_rating:
        raise Http404("No such module for this learner.")
    if module.pk in withdrawn_module_ids():
        raise ModuleWithdrawn(ModuleWithdrawn.message)
    return module


def step_to_play(module: Module, position: int, *, max_age_rating: int) -> Step:
    """A step with everything its page renders; module versions do not change, so it is
    cached until content changes."""
    playable_module(module, max_age_rating=max_age_rating)
    step = cached(f"step:{module.pk}:{position}", lambda: _step_with_everything(module, position))
    if step is None:
        raise Http404("No such step.")
    return step


def step_count(module: Module) -> int:
    return cached(f"steps:{module.pk}", module.steps.count)


def _step_with_everything(module: Module, position: int) -> Step | None:
    step = (
        Step.objects.select_related(
            "example", "question", "question__example", "question__other_example"
        )
        .filter(module=module, position=position)
        .first()
    )
    if step is None:
        return None
    examples = [step.example]
    question = getattr(step, "question", None)
    if question is not None:
        examples += [question.example, question.other_example]
        choices = Prefetch("choices", queryset=Choice.objects.order_by("position"))
        prefetch_related_objects([question], choices)  # scoring reads them too
        question.choice_list = list(question.choices.all())
    examples = [example for example in examples if example is not None]
    if examples:
        prefetch_related_objects(examples, _examples_with_spots())
    return step


def museum(
    *, language: str, max_age_rating: int, channel: str = "", scam_type: str = ""
) -> list[Example]:
    examples = Example.objects.filter(
        shown_examples(timezone.now()),
        is_current=True,
        age_rating__lte=max_age_rating,
        language__in={language, DEFAULT_LANGUAGE},
    ).select_related("scam_type")
    if channel:
        examples = examples.filter(channel=channel)
    if scam_type:
        examples = examples.filter(scam_type__slug=scam_type)
    chosen = _in_language(list(examples.order_by("slug", "language")), language)
    return sorted(chosen, key=lambda example: (not example.is_scam, example.title.casefold()))


def museum_example(slug: str, *, language: str, max_age_rating: int) -> Example:
    rows = list(
        Example.objects.filter(
            shown_examples(timezone.now()),
            slug=slug,
            is_current=True,
            language__in={language, DEFAULT_LANGUAGE},
            age_rating__lte=max_age_rating,
        )
        .select_related("scam_type", "consent")
        .prefetch_related(_examples_with_spots())
    )
    chosen = _in_language(rows, language)
    if not chosen:
        raise Http404("No such example for this learner.")
    return chosen[0]


def example_with_media(pk: int, *, max_age_rating: int) -> Example:
    """Any version (old attempts show what learners saw), within the learner's age."""
    example = Example.objects.filter(
        shown_examples(timezone.now()), pk=pk, age_rating__lte=max_age_rating
    ).first()
    if example is None:
        raise Http404("No such example.")
    return example
