"""Load scam-simulation lures from a YAML file into the shared library; idempotent."""

from pathlib import Path

import yaml
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from training.campaigns.services.simulations import save_template


class Command(BaseCommand):
    help = "Load the simulation templates of a file (e.g. a content pack's simulations.yaml)."

    def add_arguments(self, parser):
        parser.add_argument("path", help="a simulations.yaml file, or a pack folder with one")

    def handle(self, *args, path: str, **options):
        source = Path(path)
        if source.is_dir():
            source = source / "simulations.yaml"
        try:
            entries = yaml.safe_load(source.read_text(encoding="utf-8")) or []
        except (OSError, yaml.YAMLError) as error:
            raise CommandError(f"{source}: {error}") from error
        with transaction.atomic():
            for number, entry in enumerate(entries, start=1):
                try:
                    save_template(
                        None,
                        entry["slug"],
                        name=entry["name"],
                        scam_type=entry.get("scam_type", ""),
                        channel=entry["channel"],
                        sender_name=entry["sender_name"],
                        subject=entry.get("subject", ""),
                        html_body=entry.get("html", ""),
                        text_body=entry["text"],
                        red_flags=list(entry["red_flags"]),
                        module_slug=entry["module"],
                        landing=entry.get("landing", "teachable"),
                        landing_html=entry.get("landing_html", ""),
                        language=entry.get("language", "en"),
                    )
                except (KeyError, TypeError, ValidationError) as error:
                    detail = (
                        "; ".join(error.messages)
                        if isinstance(error, ValidationError)
                        else (f"missing or malformed {error}")
                    )
                    raise CommandError(f"{source}, template {number}: {detail}") from error
        self.stdout.write(f"{len(entries)} simulation templates loaded from {source}")
