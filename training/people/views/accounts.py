from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from awareness.lib.throttling import throttle_posts
from training.people.forms import LogInForm, PasswordResetForm, SignUpForm
from training.people.services import register_user
from training.people.signals import signed_in_on_this_browser


@throttle_posts("signup", "RATELIMIT_SIGNUP")
def sign_up(request):
    if request.user.is_authenticated:
        return redirect("home")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = register_user(
            username=form.cleaned_data["username"],
            email=form.cleaned_data["email"],
            password=form.cleaned_data["password1"],
            age_band=form.cleaned_data["age_band"],
            language=request.LANGUAGE_CODE,
        )
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        signed_in_on_this_browser.send(sender=type(user), request=request, user=user)
        messages.success(request, _("Welcome! Your account is ready."))
        return redirect(_safe_next(request) or "home")
    return render(request, "registration/sign_up.html", {"form": form, "next": _safe_next(request)})


def _safe_next(request) -> str:
    """Where to go after signing up (e.g. back to an invitation), only if it is on this site."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


@method_decorator(throttle_posts("login", "RATELIMIT_LOGIN"), name="dispatch")
class LogInView(auth_views.LoginView):
    authentication_form = LogInForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        signed_in_on_this_browser.send(
            sender=type(form.get_user()), request=self.request, user=form.get_user()
        )
        return response


@method_decorator(throttle_posts("password-reset", "RATELIMIT_PASSWORD_RESET"), name="dispatch")
class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetForm
    email_template_name = "registration/password_reset_email.txt"
    html_email_template_name = "registration/password_reset_email.html"
    subject_template_name = "registration/password_reset_subject.txt"
