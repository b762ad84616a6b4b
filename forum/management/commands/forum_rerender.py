"""Render every forum post's stored HTML again, after the Markdown or sanitising policy changed."""
from django.core.management.base import BaseCommand

from forum import services


class Command(BaseCommand):
    help = ("Rendert das gespeicherte HTML aller Forumsbeiträge neu (nach einer Änderung der Markdown- "
            "oder Bereinigungsregeln in mentoring/kernel/markdown.py).")

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=500, help="Beiträge je Schreibvorgang")

    def handle(self, *args, batch_size: int, **options):
        changed = services.posts_rerender(batch_size=batch_size)
        self.stdout.write(f"{changed} Beiträge neu gerendert.")
