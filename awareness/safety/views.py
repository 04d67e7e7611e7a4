"""Public safety pages (removal requests, transparency), a learner's own data, and the staff
queue of removal requests and consent. Thin: each parses, calls one service or selector."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from awareness.content import selectors as content
from awareness.content.models import AgeRating
from awareness.lib.throttling import throttle_posts
from awareness.safety import selectors
from awareness.safety.forms import (
    DecisionForm,
    RemovalRequestForm,
    RevokeConsentForm,
)
from awareness.safety.models import RemovalStatus
from awareness.safety.services import (
    decide_removal_request,
    file_removal_request,
    revoke_consent,
)
from training.progress.learners import learner_for

# --- Removal requests: the public form ----------------------------------------------------------


@throttle_posts("removal", "RATELIMIT_REMOVAL")
def removal_request(request):
    examples = content.museum(
        language=get_language(), max_age_rating=learner_for(request).max_age_rating
    )
    form = RemovalRequestForm(
        request.POST or None,
        examples=examples,
        initial={"example": request.GET.get("example", "")},
    )
    if request.method == "POST" and form.is_valid():
        removal = file_removal_request(
            example=form.cleaned_data["item"],
            reason=form.cleaned_data["reason"],
            contact_email=form.cleaned_data["contact_email"],
            details=form.cleaned_data["details"],
            filed_by=request.user,
            language=get_language(),
            now=timezone.now(),
        )
        request.session["removal_filed"] = removal.pk
        return redirect("removal_sent")
    status = 400 if form.errors else 200
    return render(
        request,
        "safety/removal_request.html",
        {"form": form, "review_days": settings.REMOVAL_REVIEW_DAYS},
        status=status,
    )


@require_GET
def removal_sent(request):
    removal = selectors.removal_filed_in_session(request.session.get("removal_filed"))
    return render(
        request,
        "safety/removal_sent.html",
        {"removal": removal, "review_days": settings.REMOVAL_REVIEW_DAYS},
    )


@require_GET
def transparency(request):
    return render(
        request,
        "safety/transparency.html",
        {
            # Every example counts, whatever the visitor's age: only tools and numbers show.
            "facts": selectors.content_facts(
                content.museum(language=get_language(), max_age_rating=AgeRating.EIGHTEEN)
            ),
            "review_days": settings.REMOVAL_REVIEW_DAYS,
            "retention_days": settings.DATA_RETENTION_DAYS,
            "simulation_header": settings.SIMULATION_HEADER,
            "abuse_contact": settings.ABUSE_CONTACT,
        },
    )


# --- Staff: removal requests and consent --------------------------------------------------------


@login_required
@require_GET
def removal_queue(request):
    selectors.require_reviewer(request.user)
    status = request.GET.get("status", "")
    status = status if status in RemovalStatus.values else ""
    return render(
        request,
        "safety/removal_queue.html",
        {
            "page": selectors.removal_queue(status=status, page=request.GET.get("page", 1)),
            "status": status,
            "statuses": RemovalStatus.choices,
            "now": timezone.now(),
        },
    )


@login_required
def removal_review(request, removal_id):
    removal = selectors.removal_request_for(request.user, removal_id)
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            decide_removal_request(
                removal,
                reviewer=request.user,
                decision=form.cleaned_data["decision"],
                reason=form.cleaned_data["reason"],
                now=timezone.now(),
            )
        except ValidationError as error:
            form.add_error("reason", error)
        else:
            messages.success(request, _("Decision saved; the requester is told by e-mail."))
            return redirect("removal_review", removal.pk)
    return render(
        request,
        "safety/removal_review.html",
        {"removal": removal, "form": form, "history": selectors.removal_history(removal)},
        status=400 if form.errors else 200,
    )


@login_required
@require_GET
def consent_list(request):
    selectors.require_reviewer(request.user)
    return render(
        request,
        "safety/consent_list.html",
        {
            "consents": selectors.consents_for_review(),
            "form": RevokeConsentForm(),
            "now": timezone.now(),
        },
    )


@login_required
@require_POST
def consent_revoke(request, consent_id):
    consent = selectors.consent_for(request.user, consent_id)
    form = RevokeConsentForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Say why consent is revoked."))
        revoke_consent(
            consent, reviewer=request.user, reason=form.cleaned_data["reason"], now=timezone.now()
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("Consent %(id)s is revoked: its examples are hidden.") % {"id": consent.key}
        )
    return redirect("consent_list")
