"""Students join a class with its code: with their account, or with a new classroom account."""

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from awareness.lib.throttling import throttle_posts, throttle_wrong_codes
from training.people.forms import JoinCodeForm, NewStudentForm
from training.people.selectors import group_by_join_code
from training.people.services import join_group, join_group_as_new_student


@throttle_posts("join", "RATELIMIT_JOIN", methods=("GET", "POST"))
def join_start(request):
    form = JoinCodeForm(request.POST or request.GET or None)
    if form.is_bound and form.is_valid():
        return redirect("join_group", form.cleaned_data["code"].strip().upper())
    return render(request, "people/join_start.html", {"form": form})


@never_cache
@throttle_wrong_codes("wrong-join-code", "RATELIMIT_WRONG_JOIN_CODE")
@throttle_posts("join", "RATELIMIT_JOIN", methods=("GET", "POST"))
def join_group_page(request, code):
    group = group_by_join_code(code)
    form = NewStudentForm(request.POST if request.POST.get("action") == "new" else None)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "join" and request.user.is_authenticated:
                join_group(request.user, group)
                messages.success(request, _("You joined %(group)s.") % {"group": group.name})
                return redirect("home")
            if request.POST.get("action") == "new" and form.is_valid():
                member, password = join_group_as_new_student(
                    group, age_band=form.cleaned_data["age_band"]
                )
                login(request, member.user, backend="django.contrib.auth.backends.ModelBackend")
                # The password is shown once, now; only its hash is stored.
                response = render(
                    request,
                    "people/student_cards.html",
                    {"cards": [(member, password)], "group": group, "welcome": True},
                )
                response["Cache-Control"] = "no-store"
                return response
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    return render(
        request,
        "people/join_group.html",
        {"group": group, "form": form},
        status=400 if form.errors else 200,
    )
