from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _

from awareness.throttling import throttle_posts
from training.people.forms import SignUpForm
from training.people.services import register_user


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
        )
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Welcome! Your account is ready."))
        return redirect("home")
    return render(request, "registration/sign_up.html", {"form": form})


@method_decorator(throttle_posts("login", "RATELIMIT_LOGIN"), name="dispatch")
class LogInView(auth_views.LoginView):
    redirect_authenticated_user = True


@method_decorator(throttle_posts("password-reset", "RATELIMIT_PASSWORD_RESET"), name="dispatch")
class PasswordResetView(auth_views.PasswordResetView):
    email_template_name = "registration/password_reset_email.txt"
    html_email_template_name = "registration/password_reset_email.html"
    subject_template_name = "registration/password_reset_subject.txt"
