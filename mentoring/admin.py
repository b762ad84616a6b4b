"""Staff see the outbox: what waits, what failed and why; they can send again."""
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

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
