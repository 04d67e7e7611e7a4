"""Scam-simulation pages: the administrators' (under /orgs/<org>/simulations/) and the
lure's own (under /s/<token>/), which record what happened and teach. Thin views."""

import base64

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import include, path, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from awareness.lib.spreadsheets import csv_response
from awareness.lib.tokens import hash_token
from training.campaigns.forms import SimulationForm, SimulationPolicyForm
from training.campaigns.models import Landing, LureChannel, TeachOn
from training.campaigns.selectors import simulations as selectors
from training.campaigns.selectors.reporting import repeat_clickers
from training.campaigns.services import (
    approve_simulation,
    cancel_simulation,
    create_simulation,
    launch_simulation,
    set_simulation_rules,
)
from training.campaigns.services.lures import fill, lure_values, marker_headers
from training.campaigns.services.simulations import (
    record_click,
    record_open,
    record_submission,
    report_lure,
    report_to_mailbox,
    simulation_policy,
    teaches_on_click,
)
from training.campaigns.services.teaching import marked_lure
from training.campaigns.views.lure_editor import urlpatterns as lure_editor_urls
from training.campaigns.views.reports import urlpatterns as report_urls
from training.campaigns.views.sending import urlpatterns as sending_urls
from training.identity.gates import require_second_factor
from training.people.views.gates import org_view

# --- Administrators ---------------------------------------------------------------------------


@login_required
@org_view(role="admin")
def simulation_list(request, org, *, membership):
    policy = simulation_policy(membership.organization_id)
    form = SimulationPolicyForm(request.POST or None, instance=policy)
    if request.method == "POST" and form.is_valid():
        set_simulation_rules(membership, **form.cleaned_data)
        messages.success(request, _("Simulation settings saved."))
        return redirect("simulation_list", org)
    trend = selectors.phish_prone_trend(membership)
    return render(
        request,
        "campaigns/simulation_list.html",
        {
            "membership": membership,
            "simulations": selectors.simulations_of(membership),
            "trend": trend,
            "trend_series": [(row["name"], row["percent"]) for row in trend],
            "repeat": repeat_clickers(membership, named=not policy.aggregate_only),
            "policy_form": form,
            "report_address": request.build_absolute_uri(
                reverse("lure_report_inbox", args=[policy.report_key])
            ),
        },
        status=400 if form.errors else 200,
    )


@login_required
@org_view(role="admin")
def simulation_create(request, org, *, membership):
    templates = list(selectors.templates_for(membership))
    groups = list(membership.organization.groups.all())
    profiles = list(selectors.profiles_of(membership))
    form = SimulationForm(
        request.POST or None, templates=templates, groups=groups, profiles=profiles
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            simulation = create_simulation(
                membership,
                template=next(t for t in templates if str(t.pk) == data["template"]),
                name=data["name"],
                groups=[g for g in groups if str(g.pk) in data["groups"]],
                send_over_hours=data["send_over_hours"],
                open_days=data["open_days"],
                teach_on=data["teach_on"] or TeachOn.CLICK,
                sending_profile=next(
                    (p for p in profiles if str(p.pk) == data["sending_profile"]), None
                ),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("simulation_detail", org, simulation.pk)
    return render(
        request,
        "campaigns/simulation_create.html",
        {"membership": membership, "form": form, "templates": templates},
        status=400 if form.errors else 200,
    )


@login_required
@org_view(role="admin")
def simulation_detail(request, org, simulation_id, *, membership):
    simulation = selectors.simulation_for(membership, simulation_id)
    context = {
        "membership": membership,
        "simulation": simulation,
        "abuse_header": _marker_header(simulation),
        **selectors.results(simulation),
    }
    if context["per_person"]:
        context["people"] = selectors.people(simulation)
    return render(request, "campaigns/simulation_detail.html", context)


def _marker_header(simulation) -> str:
    return "; ".join(f"{k}: {v}" for k, v in marker_headers(simulation.organization).items())


@org_view(role="admin")
def _act(request, org, simulation_id, action, done: str, *, membership):
    simulation = selectors.simulation_for(membership, simulation_id)
    try:
        action(membership, simulation)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    return redirect("simulation_detail", org, simulation_id)


@login_required
@require_POST
def simulation_approve(request, org, simulation_id):
    return _act(request, org, simulation_id, approve_simulation, _("Approved."))


@login_required
@require_POST
def simulation_launch(request, org, simulation_id):
    def launch(actor, simulation):
        require_second_factor(request)  # lures to many people: a stolen password is not enough
        return launch_simulation(actor, simulation, now=timezone.now())

    return _act(
        request,
        org,
        simulation_id,
        launch,
        _("Launched: the lures go out over the sending window."),
    )


@login_required
@require_POST
def simulation_cancel(request, org, simulation_id):
    return _act(
        request, org, simulation_id, cancel_simulation, _("Cancelled: nothing more will be sent.")
    )


@login_required
@org_view(role="admin")
def simulation_person(request, org, simulation_id, delivery_id, *, membership):
    """One person's timeline, unless results are aggregate-only or anonymised."""
    simulation = selectors.simulation_for(membership, simulation_id)
    if not selectors.per_person_allowed(simulation):
        raise Http404("Per-person results are not kept for this simulation.")
    context = {
        "membership": membership,
        "simulation": simulation,
        **selectors.person_timeline(simulation, delivery_id),
    }
    return render(request, "campaigns/simulation_person.html", context)


@login_required
@org_view(role="admin")
def simulation_csv(request, org, simulation_id, table, *, membership):
    simulation = selectors.simulation_for(membership, simulation_id)
    table_rows = selectors.csv_table(simulation, table)
    if table_rows is None:
        raise Http404("No such table.")
    header, rows = table_rows
    return csv_response(f"simulation-{simulation.pk}-{table}.csv", header, rows)


org_urlpatterns = [
    path("", simulation_list, name="simulation_list"),
    path("sending/", include(sending_urls)),
    path("lures/", include(lure_editor_urls)),
    path("reports/", include(report_urls)),
    path("new/", simulation_create, name="simulation_create"),
    path("<int:simulation_id>/", simulation_detail, name="simulation_detail"),
    path("<int:simulation_id>/approve/", simulation_approve, name="simulation_approve"),
    path("<int:simulation_id>/launch/", simulation_launch, name="simulation_launch"),
    path("<int:simulation_id>/cancel/", simulation_cancel, name="simulation_cancel"),
    path(
        "<int:simulation_id>/people/<int:delivery_id>/",
        simulation_person,
        name="simulation_person",
    ),
    path("<int:simulation_id>/<slug:table>.csv", simulation_csv, name="simulation_csv"),
]


# --- The lure's pages: no sign-in, the token is the key ---------------------------------------

BEACON = base64.b64decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")


def _private(response: HttpResponse) -> HttpResponse:
    """The token is in the address: keep it out of caches, other sites and search engines."""
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "same-origin"  # never "no-referrer": forms send Origin: null
    response["X-Robots-Tag"] = "noindex"
    return response


def lure_beacon(request, token):
    """The 1×1 image: the same answer for any token, known or not."""
    record_open(token, now=timezone.now())
    return _private(HttpResponse(BEACON, content_type="image/gif"))


@require_http_methods(["GET", "POST"])
def lure_landing(request, token):
    """A followed link: the lure's own landing page, in its world, or the teachable moment.
    A POST from the sign-in form is recorded as "submitted" and nothing of it is read: the
    form's fields have no names."""
    delivery = _lure(token)
    now = timezone.now()
    template = delivery.simulation.template
    if request.method == "POST":
        record_submission(delivery, now=now)
        return _teachable_moment(request, delivery, token)
    record_click(delivery, now=now)
    if not template.has_landing_page:
        return _teachable_moment(request, delivery, token)
    values, learn = lure_values(delivery, token), reverse("lure_learn", args=[token])
    context = {
        "template": template,
        # Every link on the landing page leads to the teachable moment.
        "page": fill(template.landing_html, {**values, "link": learn}, html=True),
        "sign_in": template.landing == Landing.LOGIN,
        "teach_after": (
            settings.LURE_TEACH_AFTER_SECONDS if teaches_on_click(delivery.simulation) else None
        ),
    }
    with translation.override(template.language):
        return _private(render(request, "campaigns/lure/landing.html", context))


def lure_learn(request, token):
    """The teachable moment a landing page leads to (on click, or its links)."""
    delivery = _lure(token)
    record_click(delivery, now=timezone.now())
    return _teachable_moment(request, delivery, token)


def _lure(token: str):
    delivery = selectors.lure_for_token(hash_token(token))
    if delivery is None:
        raise Http404("This link is not valid any more.")
    return delivery


def _teachable_moment(request, delivery, token: str) -> HttpResponse:
    template = delivery.simulation.template
    with translation.override(template.language):
        module = selectors.micro_module(template, language=template.language)
        context = {
            "delivery": delivery,
            "lure": marked_lure(delivery, token),
            "is_sms": template.channel == LureChannel.SMS,
            "module": module,
            "module_url": module
            and settings.SITE_URL.rstrip("/")
            + reverse("module_detail", args=[module.slug], urlconf=settings.ROOT_URLCONF),
        }
        return _private(render(request, "campaigns/lure/teachable_moment.html", context))


@require_http_methods(["GET", "POST"])
def lure_report(request, token):
    """ "Report this message": the same page for any token; a POST marks the lure reported."""
    if request.method == "POST":
        report_lure(token, now=timezone.now())
    return _private(
        render(request, "campaigns/lure_report.html", {"reported": request.method == "POST"})
    )


@csrf_exempt
@require_POST
def lure_report_inbox(request, report_key):
    """The bank's report button posts here: a "token" field, or "headers" with the message's
    raw headers (or the raw message as the body). The same answer whatever it finds."""
    if request.content_type in ("message/rfc822", "text/plain"):
        fields = {"headers": request.body.decode("utf-8", "replace")}
    else:
        fields = {
            "token": request.POST.get("token", ""),
            "headers": request.POST.get("headers", ""),
        }
    report_to_mailbox(report_key, **{k: v[:20000] for k, v in fields.items()}, now=timezone.now())
    return _private(
        HttpResponse("Thank you for reporting.\n", status=202, content_type="text/plain")
    )


lure_urlpatterns = [
    path("<str:token>/", lure_landing, name="lure_landing"),
    path("<str:token>/o.gif", lure_beacon, name="lure_beacon"),
    path("<str:token>/learn/", lure_learn, name="lure_learn"),
]
public_urlpatterns = [  # the report pages are the training site's, never the lure host's
    path("report-inbox/<str:report_key>/", lure_report_inbox, name="lure_report_inbox"),
    path("<str:token>/report/", lure_report, name="lure_report"),
    *lure_urlpatterns,
]
