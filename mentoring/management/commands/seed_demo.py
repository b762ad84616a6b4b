"""Load realistic demo data across every app (`make run` calls it); running it again adds nothing."""
from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from accounts import demo as people


class Command(BaseCommand):
    help = "Load demo data (staff login, organisations, about 60 participants, each app's content). " \
           "Running it again changes nothing."

    def add_arguments(self, parser):
        parser.add_argument("--participants", type=int, default=60)

    @transaction.atomic
    def handle(self, *args, participants, **options):
        staff = people.staff_user()
        made = people.seed_participants(staff=staff, participants=participants)
        # Each feature app declares its demo content on its AppConfig (``demo``, which
        # ``mentoring.kernel.app_parts.AppParts`` runs as ``seed_demo``), so this
        # command names no feature app; they run in INSTALLED_APPS order.
        for config in apps.get_app_configs():
            seed = getattr(config, "seed_demo", None)
            if seed is not None:
                seed(staff=staff, stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS(
            f"Demo data ready: {made} new participants "
            f"({people.User.objects.filter(is_staff=False).count()} in all). "
            f"Staff logins (password {people.STAFF_PASSWORD}): {people.STAFF_EMAIL}, "
            f"{', '.join(email for email, *_rest in people.OTHER_STAFF)}; participants: teilnehmer001@example.org … "
            f"/ {people.DEMO_PASSWORD}"))
