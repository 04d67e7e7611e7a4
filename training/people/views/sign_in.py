"""Ways in without a known password: the set-up link a new member is e-mailed, and the
sign-in link anyone with an e-mail address may ask for."""

from django import forms
from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from awareness.lib.throttling import throttle_posts
from training.people.models import LinkPurpose
from training.people.services.sign_in import (
    SET_UP_LIFETIME,
    SIGN_IN_LIFETIME,
    link_holder,
    link_problem,
    request_sign_in_link,
    set_up_account,
    use_sign_in_link,
)
from training.people.signals import signed_in_on_this_browser
from training.people.views.accounts import safe_next

BACKEND = "django.contrib.auth.backends.ModelBackend"


class SignInLinkForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("E-mail address"), max_length=254)


class SetUpForm(forms.Form):
    password1 = forms.CharField(
        label=gettext_lazy("Password"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=gettext_lazy(
            "At least 8 characters. Leave empty to sign in with e-mailed links."
        ),
    )
    password2 = forms.CharField(
        label=gettext_lazy("The same password again"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        cleaned = super().clean()
        if self.data.get("action") == "password":
            if not cleaned.get("password1"):
                self.add_error("password1", _("Type a password, or choose to skip it."))
            elif cleaned.get("password1") != cleaned.get("password2"):
                self.add_error("password2", _("The two passwords are not the same."))
        return cleaned


@never_cache
@throttle_posts("sign-in-link", "RATELIMIT_SIGN_IN_LINK")
def sign_in_link_request(request):
    """Always the same answer, whoever the address belongs to (or nobody)."""
    form = SignInLinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        request_sign_in_link(
            form.cleaned_data["email"],
            next_path=safe_next(request),
            now=timezone.now(),
            base_url=request.build_absolute_uri("/"),
        )
        return render(
            request,
            "registration/sign_in_link_sent.html",
            {"minutes": int(SIGN_IN_LIFETIME.total_seconds() // 60)},
        )
    return render(
        request,
        "registration/sign_in_link_request.html",
        {"form": form, "next": safe_next(request)},
        status=400 if form.errors else 200,
    )


@never_cache
@throttle_posts("sign-in-link-open", "RATELIMIT_INVITATION_RESPONSE")
def sign_in_link_open(request, token):
    """GET only asks; the POST signs in, so a mail scanner opening the link uses nothing."""
    now = timezone.now()
    problem = link_problem(token, LinkPurpose.SIGN_IN, now)
    if not problem and request.method == "POST":
        try:
            link = use_sign_in_link(token, now=now)
        except ValidationError as error:
            problem = " ".join(error.messages)
        else:
            login(request, link.user, backend=BACKEND)
            signed_in_on_this_browser.send(sender=type(link.user), request=request, user=link.user)
            return redirect(link.next_path or "my_training")
    return render(
        request,
        "registration/sign_in_link_open.html",
        {"problem": problem},
        status=410 if problem else 200,
    )


@never_cache
@throttle_posts("account-set-up", "RATELIMIT_INVITATION_RESPONSE")
def account_set_up(request, token):
    now = timezone.now()
    problem = link_problem(token, LinkPurpose.SET_UP, now)
    if problem:
        return render(request, "registration/set_up.html", {"problem": problem}, status=410)
    link = link_holder(token, LinkPurpose.SET_UP)
    form = SetUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        keep_password = request.POST.get("action") == "password"
        try:
            user = set_up_account(
                token, password=form.cleaned_data["password1"] if keep_password else "", now=now
            )
        except ValidationError as error:
            form.add_error("password1" if keep_password else None, error)
        else:
            login(request, user, backend=BACKEND)
            signed_in_on_this_browser.send(sender=type(user), request=request, user=user)
            messages.success(
                request,
                _("Your account is ready. Sign in with %(email)s and your password next time.")
                % {"email": user.email}
                if keep_password
                else _(
                    "Your account is ready. Next time, ask for a sign-in link on the log-in page."
                ),
            )
            return redirect("my_training")
    return render(
        request,
        "registration/set_up.html",
        {"form": form, "person": link.user, "days": SET_UP_LIFETIME.days},
        status=400 if form.errors else 200,
    )


urlpatterns = [
    path("sign-in-link/", sign_in_link_request, name="sign_in_link"),
    path("sign-in-link/<str:token>/", sign_in_link_open, name="sign_in_link_open"),
    path("set-up/<str:token>/", account_set_up, name="account_set_up"),
]
