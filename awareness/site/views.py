"""Citizen pages: thin views over the content and progress selectors and services."""

import hashlib
import json
import re
from functools import wraps

from django.contrib import messages
from django.contrib.messages import get_messages
from django.http import FileResponse, Http404, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRedirect

from awareness.content import selectors as content
from awareness.content.models import StepKind
from awareness.content.scoring import CONFIDENCE_LEVELS, AnswerRejected
from awareness.content.templatetags.examples import region_rules
from awareness.site.forms import AgeBandForm, CatalogueFilters, MuseumFilters
from training.campaigns.selectors import classes
from training.progress import selectors as progress
from training.progress.learners import SESSION_AGE_BAND, age_band_of, learner_for
from training.progress.services import PASS_MARK, advance, record_answer, start_attempt

CSRF_HOLE = "__csrf_token__"
OWN_HOLE = "__own_id__"
CSRF_FIELD = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*"')


def same_for_every_visitor(request, name: str, page, *, own: str = ""):
    """A page every anonymous visitor sees alike but for the CSRF token and `own` (the id of
    their attempt, in its links): rendered once per content generation, with each visitor's
    own values put back in. `page()` renders it; `name` says everything else it depends on."""
    if request.user.is_authenticated or len(get_messages(request)):
        return page()

    def shared_copy() -> str:
        html = CSRF_FIELD.sub(rf'\1{CSRF_HOLE}"', page().content.decode())
        return html.replace(own, OWN_HOLE) if own else html

    html = content.cached_page(name, shared_copy)
    if own:
        html = html.replace(OWN_HOLE, own)
    return HttpResponse(html.replace(CSRF_HOLE, get_token(request)))


def home(request):
    return render(
        request,
        "site/home.html",
        {"assignments": classes.my_assignments(request.user, now=timezone.now())},
    )


@require_GET
def catalogue(request):
    learner = learner_for(request)
    # Filters are checked before anything is cached under their names; the bare catalogue,
    # most visitors' page, builds no form until it is rendered once per content generation.
    form = CatalogueFilters(request.GET, scam_types=content.scam_types()) if request.GET else None
    if form is not None and (not form.is_valid() or set(request.GET) - set(form.fields)):
        return _catalogue_page(request, learner, form)
    name = f"catalogue:{get_language()}:{age_band_of(request)}:{request.get_full_path()}"
    return same_for_every_visitor(
        request,
        name,
        lambda: _catalogue_page(
            request, learner, form or CatalogueFilters(scam_types=content.scam_types())
        ),
    )


def _catalogue_page(request, learner, form):
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    modules = content.catalogue(
        language=get_language(), max_age_rating=learner.max_age_rating, **filters
    )
    context = {
        "form": form,
        "modules": modules,
        "module_languages": content.languages_by_module(),
        "progress": progress.progress_by_module(request.user),
        "age_band": age_band_of(request),
        "age_form": AgeBandForm(initial={"age_band": age_band_of(request)}),
    }
    return render(request, "site/catalogue.html", context, status=400 if form.errors else 200)


@require_POST
def set_age_band(request):
    """Anonymous visitors say roughly how old they are; accounts keep theirs."""
    form = AgeBandForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose an age from the list."))
    elif not request.user.is_authenticated:
        request.session[SESSION_AGE_BAND] = form.cleaned_data["age_band"]
    return redirect("catalogue")


@require_GET
def module_detail(request, slug):
    learner = learner_for(request)
    module = content.module_for(
        slug, language=get_language(), max_age_rating=learner.max_age_rating
    )
    return render(
        request,
        "site/module_detail.html",
        {
            "module": module,
            "unfinished": progress.unfinished_attempt(learner, slug)
            if learner.key or learner.user
            else None,
            "steps": module.steps.count(),
        },
    )


@require_POST
def start(request, slug):
    learner = learner_for(request, create=True)
    module = content.module_for(
        slug, language=get_language(), max_age_rating=learner.max_age_rating
    )
    unfinished = progress.unfinished_attempt(learner, slug)
    attempt = unfinished or start_attempt(module, learner, now=timezone.now())
    return redirect("play", attempt.public_id)


def shows_withdrawn(view):
    """An attempt on a module withdrawn since it began gets a page saying so, not an error."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except content.ModuleWithdrawn as withdrawn:
            return render(request, "site/module_withdrawn.html", {"message": withdrawn}, status=410)

    return wrapped


def _step_context(attempt, max_age_rating: int, error: str = "", answer=None, step=None) -> dict:
    step = step or content.step_to_play(
        attempt.module, attempt.position, max_age_rating=max_age_rating
    )
    total = content.step_count(attempt.module)
    if answer is None and step.kind == StepKind.QUESTION:
        answer = progress.answer_for(attempt, step.question)
    return {
        "attempt": attempt,
        "module": attempt.module,
        "step": step,
        "question": getattr(step, "question", None),
        "answer": answer,
        "number": attempt.position + 1,
        "total": total,
        "percent": round(100 * attempt.position / total),
        "confidence_levels": CONFIDENCE_LEVELS,
        "error": error,
    }


def _render_step(request, attempt, error: str = "", status: int = 200, answer=None, step=None):
    template = "site/player/_step.html" if request.htmx else "site/player.html"
    context = _step_context(attempt, learner_for(request).max_age_rating, error, answer, step)

    def page():
        return render(request, template, context, status=status)

    if error or request.GET:  # a message for this learner, or a query string in its links
        return page()
    name = f"step:{context['step'].pk}:{get_language()}:{template}:{_answer_key(context['answer'])}"
    return same_for_every_visitor(request, name, page, own=str(attempt.public_id))


def _answer_key(answer) -> str:
    """What the feedback on an answer shows depends on, and nothing else of it."""
    if answer is None:
        return "-"
    shown = [answer.response, answer.is_correct, answer.score, answer.confidence]
    return hashlib.blake2b(json.dumps(shown, sort_keys=True).encode(), digest_size=12).hexdigest()


@require_GET
@shows_withdrawn
def play(request, attempt_id):
    attempt = progress.attempt_for(learner_for(request), attempt_id)
    if attempt.is_finished:
        return redirect("results", attempt.public_id)
    return _render_step(request, attempt)


def _posted_position(request, attempt) -> None:
    if request.POST.get("position") != str(attempt.position):
        raise AnswerRejected(
            _("This page is out of date: you have moved on in another tab. Reload the page.")
        )


@require_POST
@shows_withdrawn
def answer(request, attempt_id):
    learner = learner_for(request)
    attempt = progress.attempt_for(learner, attempt_id)
    try:
        _posted_position(request, attempt)
        step = content.step_to_play(
            attempt.module, attempt.position, max_age_rating=learner.max_age_rating
        )
        question = getattr(step, "question", None)
        if question is None:
            raise AnswerRejected(_("This step has no question to answer."))
        recorded = record_answer(attempt, question, request.POST, now=timezone.now())
    except AnswerRejected as error:
        return _render_step(request, attempt, error=str(error), status=400)
    if request.htmx:
        return _render_step(request, attempt, answer=recorded, step=step)
    return redirect(reverse("play", args=[attempt.public_id]) + "#feedback")


@require_POST
@shows_withdrawn
def continue_(request, attempt_id):
    learner = learner_for(request)
    attempt = progress.attempt_for(learner, attempt_id)
    content.playable_module(attempt.module, max_age_rating=learner.max_age_rating)
    try:
        _posted_position(request, attempt)
        attempt = advance(attempt, now=timezone.now())
    except AnswerRejected as error:
        return _render_step(request, attempt, error=str(error), status=400)
    if attempt.is_finished:
        url = reverse("results", args=[attempt.public_id])
        return HttpResponseClientRedirect(url) if request.htmx else redirect(url)
    if request.htmx:
        return _render_step(request, attempt)
    return redirect("play", attempt.public_id)


@require_GET
@shows_withdrawn
def results(request, attempt_id):
    learner = learner_for(request)
    attempt = progress.attempt_for(learner, attempt_id)
    if not attempt.is_finished:
        return redirect("play", attempt.public_id)
    content.playable_module(attempt.module, max_age_rating=learner.max_age_rating)
    answers = progress.answers_to_review(attempt)
    return render(
        request,
        "site/results.html",
        {
            "attempt": attempt,
            "module": attempt.module,
            "answers": answers,
            "calibration": progress.calibration(answers),
            "certificate": getattr(attempt, "certificate", None) if attempt.user_id else None,
            "pass_mark": round(PASS_MARK * 100),
            "score": round(100 * attempt.score),
        },
    )


@require_GET
def museum(request):
    learner = learner_for(request)
    form = MuseumFilters(request.GET or None, scam_types=content.scam_types())
    filters = form.cleaned_data if form.is_valid() else {}
    examples = content.museum(
        language=get_language(), max_age_rating=learner.max_age_rating, **filters
    )
    return render(
        request,
        "site/museum.html",
        {"form": form, "examples": examples},
        status=200 if not form.errors else 400,
    )


@require_GET
def museum_example(request, slug):
    learner = learner_for(request)
    example = content.museum_example(
        slug, language=get_language(), max_age_rating=learner.max_age_rating
    )
    return render(request, "site/museum_example.html", {"example": example})


@require_GET
def example_media(request, pk, slot):
    if slot not in ("image", "poster", "audio", "video"):
        raise Http404("No such medium.")
    example = content.example_with_media(pk, max_age_rating=learner_for(request).max_age_rating)
    medium = getattr(example, slot)
    if not medium:
        raise Http404("No such medium.")
    response = FileResponse(medium.open("rb"))
    response["Cache-Control"] = "private, max-age=3600"
    response["Content-Disposition"] = "inline"
    return response


@require_GET
def example_regions(request, pk):
    """Where an example's areas sit on its picture, as a stylesheet (see region_rules)."""
    example = content.example_with_media(pk, max_age_rating=learner_for(request).max_age_rating)
    response = HttpResponse(region_rules(example), content_type="text/css; charset=utf-8")
    response["Cache-Control"] = "private, max-age=3600"
    return response


@require_GET
def certificate(request, code):
    return render(
        request, "site/certificate.html", {"certificate": progress.certificate_by_code(code)}
    )
