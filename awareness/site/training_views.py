"""A learner's "my training" page, and the links assignment e-mails carry: signed out, they
ask the person to sign in first, so the module counts for their training."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone

from training.campaigns.my_training import my_training as training_of


@login_required
def my_training(request):
    return render(
        request,
        "site/my_training.html",
        {"training": training_of(request.user, now=timezone.now())},
    )


@login_required
def assigned_module(request, slug):
    """The e-mail's link to a module: after signing in, on to the module itself."""
    return redirect("module_detail", slug)
