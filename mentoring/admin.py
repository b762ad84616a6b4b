"""Admin of the project package: the outbox (what waits, what failed and why; send again), crontab schedules."""
from celery.schedules import ParseException
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django_celery_beat.admin import CrontabScheduleAdmin
from django_celery_beat.models import CrontabSchedule

from .mail import outbox_deliver
from .models import OutboxMessage


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ["subject", "to", "status", "attempts", "created_at", "sent_at", "next_attempt_at"]
    list_filter = ["status"]
    search_fields = ["to", "subject", "key"]
    readonly_fields = [f.name for f in OutboxMessage._meta.fields]
    actions = ["send_again"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Jetzt (erneut) senden"))
    def send_again(self, request, queryset):
        sent = 0
        for message in queryset.exclude(status=OutboxMessage.Status.SENT):
            OutboxMessage.objects.filter(pk=message.pk).update(status=OutboxMessage.Status.PENDING,
                                                               next_attempt_at=None)
            result = outbox_deliver(message_pk=message.pk)
            sent += bool(result and result.status == OutboxMessage.Status.SENT)
        self.message_user(request, _("%(n)d E-Mail(s) versendet.") % {"n": sent}, messages.INFO)


admin.site.unregister(CrontabSchedule)


@admin.register(CrontabSchedule)
class CheckedCrontabScheduleAdmin(CrontabScheduleAdmin):
    """django-celery-beat's crontab form, but an invalid field shows its error instead of a 500.

    Its read-only description parses the posted fields with Celery, which raises ParseException
    (e.g. for "-1") that the admin does not catch.
    """

    fields = ("description", "minute", "hour", "day_of_month", "month_of_year", "day_of_week", "timezone")
    readonly_fields = ("description",)
    list_display = ("__str__", "description")

    @admin.display(description=_("Beschreibung"))
    def description(self, obj):
        try:
            return obj.human_readable
        except ParseException:
            return "–"
