"""Scam-simulation pages: the administrators' (under /orgs/<org>/simulations/) and the
lure's own (under /s/<token>/), which record what happened and teach. Thin views."""

import base64

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from awareness.lib.spreadsheets import csv_response
from awareness.lib.tokens import hash_token
from training.campaigns.forms import SimulationForm, SimulationPolicyForm
from training.campaigns.models import Landing, LureChannel
from training.campaigns.selectors import simulations as selectors
from training.campaigns.services import (
    approve_simulation,
    cancel_simulation,
    create_simulation,
    launch_simulation,
    set_simulation_rules,
)
from training.campaigns.services.lures import marker_headers, render_lure
from training.campaigns.services.simulations import (
    record_click,
    record_open,
    record_submission,
    report_lure,
    report_to_mailbox,
    simulation_policy,
)
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
    form = SimulationForm(request.POST or None, templates=templates, groups=groups)
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
    return _act(
        request,
        org,
        simulation_id,
        lambda actor, simulation: launch_simulation(actor, simulation, now=timezone.now()),
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
    """A followed link: the sign-in form or the teachable moment. A POST from the form is
    recorded as "submitted" and nothing of it is read: the form's fields have no names."""
    delivery = selectors.lure_for_token(hash_token(token))
    if delivery is None:
        raise Http404("This link is not valid any more.")
    now = timezone.now()
    template = delivery.simulation.template
    if request.method == "POST":
        record_submission(delivery, now=now)
    else:
        record_click(delivery, now=now)
        if template.landing == Landing.LOGIN:
            return _private(render(request, "campaigns/lure_login.html", {"delivery": delivery}))
    context = {
        "delivery": delivery,
        "template": template,
        "lure": render_lure(delivery, token),
        "is_sms": template.channel == LureChannel.SMS,
        "module": selectors.micro_module(template, language=request.LANGUAGE_CODE),
        "report_url": reverse("lure_report", args=[token]),
    }
    return _private(render(request, "campaigns/teachable_moment.html", context))


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


public_urlpatterns = [
    path("report-inbox/<str:report_key>/", lure_report_inbox, name="lure_report_inbox"),
    path("<str:token>/", lure_landing, name="lure_landing"),
    path("<str:token>/o.gif", lure_beacon, name="lure_beacon"),
    path("<str:token>/report/", lure_report, name="lure_report"),
]
