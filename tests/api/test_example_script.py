"""The README's promise: a script using only HTTP provisions 100 people into departments,
creates and launches a campaign and reads its progress, against a real server process with a
real Celery worker enrolling the staff."""

import ast

import pytest

from tests.api.conftest import token_for
from tests.conftest import free_port, wait_for_port
from training.campaigns.models import Assignment
from training.people.models import Group, Membership


@pytest.mark.django_db(transaction=True)
def test_the_example_script_provisions_100_people_and_launches_a_campaign(
    bank_admin, loaded_pack, celery_worker, start_process
):
    queue, worker = celery_worker
    port = free_port()
    server = start_process(
        "-m", "gunicorn", "awareness.wsgi:application", "--bind", f"127.0.0.1:{port}",
        "--workers", "1", CELERY_TASK_DEFAULT_QUEUE=queue,
    )  # fmt: skip
    wait_for_port(port, server)

    script = start_process(
        "docs/api_example.py", f"http://127.0.0.1:{port}", "harbour",
        API_TOKEN=token_for(bank_admin),
    )  # fmt: skip
    output, _ = script.communicate(timeout=120)

    if script.returncode:
        server.terminate()
        print(server.communicate()[0][-3000:])
    assert script.returncode == 0, output[-500:]
    progress = ast.literal_eval(output.strip().splitlines()[-1])
    assert (progress["people"], progress["assignments"], progress["run_status"]) == (
        100,
        100,
        "launched",
    )
    departments = Group.objects.filter(organization=bank_admin.organization)
    assert sorted(departments.values_list("name", flat=True)) == [
        "Cards", "Operations", "Retail", "Treasury",
    ]  # fmt: skip
    assert Membership.objects.filter(groups__in=departments).count() == 100
    assert Membership.objects.exclude(external_id="").count() == 100
    assert Assignment.objects.count() == 100
    assert worker.poll() is None  # the worker did the enrolling and is still up
