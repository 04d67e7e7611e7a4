from django.core.management.base import BaseCommand

from training.campaigns.models import CampaignRun
from training.campaigns.services import rebuild_run_statistics


class Command(BaseCommand):
    help = (
        "Recount every campaign run's figures (tallies) from its assignments and answers "
        "(PostgreSQL). Runs from before tallies existed need this once; it is safe to repeat."
    )

    def add_arguments(self, parser):
        parser.add_argument("runs", nargs="*", type=int, help="run ids (default: every run)")

    def handle(self, runs: list[int], **options):
        selected = CampaignRun.objects.order_by("pk")
        if runs:
            selected = selected.filter(pk__in=runs)
        count = 0
        for run in selected.iterator():
            rebuild_run_statistics(run)
            count += 1
        self.stdout.write(f"Recounted the figures of {count} run(s).")
