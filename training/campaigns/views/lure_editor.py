"""The lure editor (admins): the library and the organisation's own lures, a copy to edit,
and a live preview of what is being written. Thin views."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from training.campaigns.forms import LureTemplateForm
from training.campaigns.models import LureChannel, SimulationTemplate
from training.campaigns.selectors import simulations as selectors
from training.campaigns.services.lure_editor import copy_template, edit_template
from training.campaigns.services.lures import refuse_script, render_template, sample_values
from training.people.views.gates import org_view


@login_required
@org_view(role="admin")
def lure_list(request, org, *, membership):
    templates = selectors.templates_for(membership).order_by("organization_id", "name")
    return render(
        request, "campaigns/lure_list.html", {"membership": membership, "templates": templates}
    )


@login_required
@require_POST
@org_view(role="admin")
def lure_copy(request, org, template_id, *, membership):
    copy = copy_template(membership, selectors.template_for(membership, template_id))
    messages.success(request, _("Copied: this lure is your organisation's own to change."))
    return redirect("lure_edit", org, copy.pk)


@login_required
@org_view(role="admin")
def lure_edit(request, org, template_id, *, membership):
    template = selectors.template_for(membership, template_id, own=True)
    form = LureTemplateForm(request.POST or None, instance=template)
    if request.method == "POST" and form.is_valid():
        try:
            edit_template(membership, template, **form.template_fields())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Lure saved."))
            return redirect("lure_edit", org, template.pk)
    context = {"membership": membership, "template": template, "form": form}
    if not form.errors:
        context["preview"] = _preview(membership, template)
    return render(request, "campaigns/lure_edit.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
@org_view(role="admin")
def lure_preview(request, org, template_id, *, membership):
    """What the form holds now, rendered with sample values (htmx swaps it in as one types);
    nothing is saved."""
    template = selectors.template_for(membership, template_id, own=True)
    form = LureTemplateForm(request.POST, instance=SimulationTemplate(pk=template.pk))
    context = {"form": form}
    if form.is_valid():
        try:
            refuse_script(form.cleaned_data["html_body"], form.cleaned_data["landing_html"])
        except ValidationError as error:
            context["problem"] = " ".join(error.messages)
        else:
            context["preview"] = _preview(membership, form.instance)
    return render(request, "campaigns/_lure_preview.html", context)


def _preview(membership, template) -> dict:
    lure = render_template(template, sample_values(membership.organization))
    return {**lure, "is_sms": template.channel == LureChannel.SMS}


urlpatterns = [
    path("", lure_list, name="lure_list"),
    path("<int:template_id>/copy/", lure_copy, name="lure_copy"),
    path("<int:template_id>/", lure_edit, name="lure_edit"),
    path("<int:template_id>/preview/", lure_preview, name="lure_preview"),
]
