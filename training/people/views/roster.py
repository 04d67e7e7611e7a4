"""Roster import at /orgs/<org>/import/: upload a CSV or XLSX, see the dry run's problems, then
import it as a Celery job whose progress bar refreshes itself (htmx, or a meta refresh)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from training.people.models import ImportStatus
from training.people.selectors import (
    roster_import_for,
    roster_imports_of,
)
from training.people.services import check_roster, roster_example_csv, start_import
from training.people.services.roster import MAX_FILE_BYTES, MAX_ROWS
from training.people.views.gates import org_view

SHOWN_PROBLEMS = 200
RECENT_IMPORTS = 10
IN_PROGRESS = (ImportStatus.QUEUED, ImportStatus.RUNNING)


class RosterUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Roster file"),
        help_text=gettext_lazy("A CSV file saved as UTF-8, or an Excel workbook (.xlsx)."),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".csv,.xlsx,text/csv,"
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )


@login_required
@org_view(role="admin")
def roster_upload(request, org, *, membership):
    status = 200
    if request.method == "POST":
        form = RosterUploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                roster_import = check_roster(
                    membership,
                    file_name=upload.name,
                    # One byte over the limit is enough for the service to refuse it.
                    content=upload.read(MAX_FILE_BYTES + 1),
                    now=timezone.now(),
                )
            except ValidationError as error:
                form.add_error("file", error)
            else:
                return redirect("roster_import", org, roster_import.pk)
        status = 400
    else:
        form = RosterUploadForm()
    context = {
        "membership": membership,
        "form": form,
        "imports": roster_imports_of(membership)[:RECENT_IMPORTS],
        "max_megabytes": MAX_FILE_BYTES // (1024 * 1024),
        "max_rows": MAX_ROWS,
    }
    return render(request, "people/roster_upload.html", context, status=status)


@login_required
@org_view(role="admin")
def roster_example(request, org, *, membership):
    response = HttpResponse(
        roster_example_csv(membership.organization), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="roster-example.csv"'
    return response


@never_cache
@login_required
@org_view(role="admin")
def roster_preview(request, org, import_id, *, membership):
    """The dry run's result; while the job runs, the progress fragment alone for htmx."""
    roster_import = roster_import_for(membership, import_id)
    context = {
        "membership": membership,
        "roster_import": roster_import,
        "in_progress": roster_import.status in IN_PROGRESS,
    }
    if request.htmx:
        response = render(request, "people/_roster_progress.html", context)
    else:
        problems = roster_import.problems
        context.update(
            problems=problems[:SHOWN_PROBLEMS],
            problem_count=len(problems),
            more_problems=max(0, len(problems) - SHOWN_PROBLEMS),
        )
        response = render(request, "people/roster_import.html", context)
    patch_vary_headers(response, ("HX-Request",))
    return response


@login_required
@require_POST
@org_view(role="admin")
def roster_start(request, org, import_id, *, membership):
    roster_import = roster_import_for(membership, import_id)
    try:
        start_import(membership, roster_import)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("roster_import", org, import_id)


org_urlpatterns = [
    path("", roster_upload, name="roster_upload"),
    path("example.csv", roster_example, name="roster_example"),
    path("<int:import_id>/", roster_preview, name="roster_import"),
    path("<int:import_id>/start/", roster_start, name="roster_start"),
]
