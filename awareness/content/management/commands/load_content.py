import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from awareness.content.packs import PackError, read_pack
from awareness.content.services import load_pack


class Command(BaseCommand):
    help = "Validate a content pack (a folder of YAML + media) and load it; see PACKS.md."

    def add_arguments(self, parser):
        parser.add_argument(
            "path", type=Path, help="the pack folder, or the name of a pack in CONTENT_PACKS_DIR"
        )
        parser.add_argument(
            "--check", action="store_true", help="validate only; write nothing to the database"
        )

    def handle(self, path: Path, check: bool, **options):
        started = time.perf_counter()
        if not path.exists() and len(path.parts) == 1:
            path = settings.CONTENT_PACKS_DIR / path
        try:
            pack = read_pack(path)
            if check:
                self.stdout.write(
                    f"{path}: valid ({len(pack.modules)} modules, {len(pack.examples)} examples)."
                )
                return
            report = load_pack(pack)
        except PackError as error:
            for problem in error.problems:
                self.stderr.write(problem)
            raise CommandError(
                f"{len(error.problems)} problem(s) in {path}; nothing was loaded."
            ) from None
        seconds = time.perf_counter() - started
        self.stdout.write(
            f"Loaded {pack.name} in {seconds:.2f} s: "
            f"{report.created['module']} new module version(s), "
            f"{report.unchanged['module']} unchanged; "
            f"{report.created['example']} new example version(s), "
            f"{report.unchanged['example']} unchanged; "
            f"{report.questions} question(s) in new versions."
        )
