"""Integrations pages for an organisation's administrators: thin views over services."""

from datetime import datetime, time, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from training.integrations import selectors, services
from training.integrations.forms import ExportForm, LearningRecordStoreForm, WebhookForm
from training.people.views.gates import org_view


@login_required
@org_view(role="admin")
def integrations(request, org, *, membership):
    store = services.learning_record_store_of(membership)
    form = LearningRecordStoreForm(request.POST or None, instance=store)
    if request.method == "POST" and form.is_valid():
        services.configure_learning_record_store(membership, form.save(commit=False),
                                                 changed=form.changed_data)  # fmt: skip
        messages.success(request, _("Learning record store saved."))
        return redirect("integrations", org)
    return render(
        request,
        "integrations/integrations.html",
        {
            "membership": membership,
            "form": form,
            "statement_counts": selectors.statement_counts(membership),
            "subscriptions": selectors.subscriptions_of(membership),
            "export_form": ExportForm(),
        },
        status=400 if form.errors else 200,
    )


@login_required
@org_view(role="admin")
def statement_export(request, org, *, membership):
    """Statements of a period as JSON lines, built from the attempts (no LRS needed)."""
    form = ExportForm(request.GET)
    if not form.is_valid():
        return render(
            request,
            "integrations/export.html",
            {"membership": membership, "form": form},
            status=400 if request.GET else 200,
        )
    zone = timezone.get_current_timezone()
    start = datetime.combine(form.cleaned_data["start"], time.min, tzinfo=zone)
    end = datetime.combine(form.cleaned_data["end"] + timedelta(days=1), time.min, tzinfo=zone)
    store = services.learning_record_store_of(membership)
    response = StreamingHttpResponse(
        services.export_statements(store, start, end), content_type="application/x-ndjson"
    )
    name = f"statements-{form.cleaned_data['start']}-{form.cleaned_data['end']}.jsonl"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@org_view(role="admin")
def webhook_create(request, org, *, membership):
    form = WebhookForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        subscription = services.create_webhook(membership, **form.cleaned_data, now=timezone.now())
        # The only time the secret is shown: this response is not a redirect to keep it.
        return render(
            request,
            "integrations/webhook_created.html",
            {"membership": membership, "subscription": subscription},
        )
    return render(
        request,
        "integrations/webhook_create.html",
        {"membership": membership, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@org_view(role="admin")
def webhook_detail(request, org, subscription_id, *, membership):
    subscription = selectors.subscription_for(membership, subscription_id)
    return render(
        request,
        "integrations/webhook_detail.html",
        {
            "membership": membership,
            "subscription": subscription,
            "deliveries": selectors.recent_deliveries(subscription),
        },
    )


@login_required
@require_POST
@org_view(role="admin")
def webhook_switch(request, org, subscription_id, *, membership):
    subscription = selectors.subscription_for(membership, subscription_id)
    enabled = not subscription.is_enabled
    services.switch_webhook(membership, subscription, enabled=enabled)
    messages.success(request, _("Webhook switched on.") if enabled else _("Webhook switched off."))
    return redirect("webhook_detail", org, subscription_id)


@login_required
@require_POST
@org_view(role="admin")
def webhook_delete(request, org, subscription_id, *, membership):
    services.delete_webhook(membership, selectors.subscription_for(membership, subscription_id))
    messages.success(request, _("Webhook deleted."))
    return redirect("integrations", org)
