"""Compute a matching run from the shell, with a progress bar."""
from django.core.management.base import BaseCommand

from matching import services
from matching.models import MatchRun


class Command(BaseCommand):
    help = "Compute matching proposals for all approved mentees without a Tandem (as 'Matching starten' in admin)."

    def handle(self, *args, **options):
        run = services.match_run_create(by=None)

        def bar(percent: int) -> None:
            filled = percent * 40 // 100
            self.stdout.write(f"\r[{'#' * filled}{'.' * (40 - filled)}] {percent:3d} %", ending="")
            self.stdout.flush()

        run = services.match_run_execute(run=run, progress=bar)
        self.stdout.write("")
        if run.status != MatchRun.Status.DONE:
            self.stderr.write(self.style.ERROR(f"Lauf {run.pk} fehlgeschlagen: {run.error}"))
            return
        self.stdout.write(self.style.SUCCESS(
            f"Lauf {run.pk}: {run.matched_count} von {run.mentee_count} Mentees zugeordnet, "
            f"{run.mentor_count} Mentor*innen mit freier Kapazität, {run.duration_ms} ms."))
