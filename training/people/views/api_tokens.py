"""API tokens of an organisation: its administrators make them (each shown once) and revoke them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from training.people.forms import ApiTokenForm
from training.people.selectors import api_token_for, api_tokens_of
from training.people.services import create_api_token, revoke_api_token
from training.people.views.gates import org_view


@never_cache  # the page that shows a new token must not be kept by any cache
@login_required
@org_view()
def api_token_list(request, org, *, membership):
    tokens = api_tokens_of(membership)
    form = ApiTokenForm(request.POST or None)
    secret = ""
    if request.method == "POST" and form.is_valid():
        _token, secret = create_api_token(membership, **form.cleaned_data, now=timezone.now())
        form = ApiTokenForm()
    return render(
        request,
        "people/api_tokens.html",
        {"membership": membership, "tokens": tokens, "form": form, "secret": secret},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
@org_view()
def api_token_revoke(request, org, token_id, *, membership):
    token = revoke_api_token(membership, api_token_for(membership, token_id), now=timezone.now())
    messages.success(request, _("“%(name)s” no longer works.") % {"name": token.name})
    return redirect("api_token_list", org)


org_urlpatterns = [
    path("", api_token_list, name="api_token_list"),
    path("<int:token_id>/revoke/", api_token_revoke, name="api_token_revoke"),
]
