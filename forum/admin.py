"""Admin of the forum: categories, moderation of reports, posts and threads through the services."""
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.actions import delete_selected as django_delete_selected
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.admin_search import person_search_fields
from mentoring.kernel.admin_labels import LabelledListEditableMixin

from . import access, services
from .models import Attachment, Category, Post, Report, Thread

# A thread without its opening post would show answers to no question.
OPENING_POST_STAYS = _("Der Eröffnungsbeitrag gehört zu seinem Thema: Löschen Sie das ganze Thema (unter „Themen“) "
                       "oder blenden Sie den Beitrag aus.")


def action_outcome(model_admin, request, done: str | None, nothing: str) -> None:
    """What an action did, counted, or (``done`` empty) that the selection needed nothing doing."""
    if done:
        model_admin.message_user(request, done)
    else:
        model_admin.message_user(request, nothing, messages.WARNING)


@admin.register(Category)
class CategoryAdmin(LabelledListEditableMixin, admin.ModelAdmin):
    list_display = ["name", "position", "mentors_only", "staff_only_threads"]
    list_editable = ["position"]
    prepopulated_fields = {"slug": ["name"]}


class ModeratedAdmin(admin.ModelAdmin):
    """Actions marked ``permissions=["moderate"]`` are offered to the Moderation only (``access.moderates``), the
    same rule the services check."""

    def has_moderate_permission(self, request):
        return access.moderates(request.user)


@admin.register(Thread)
class ThreadAdmin(ModeratedAdmin):
    list_display = ["title", "category", "kind", "author", "post_count", "last_post_at", "is_locked", "is_pinned",
                    "is_featured", "is_hidden"]
    list_filter = ["category", "kind", "is_locked", "is_pinned", "is_featured", "is_hidden"]
    search_fields = ["title"]
    list_select_related = ["category", "author"]
    fields = ["category", "title", "kind", "topics", "author", "created_at", "last_post_at", "post_count",
              "is_locked", "is_pinned", "is_featured", "is_hidden", "accepted_post"]
    readonly_fields = ["author", "created_at", "last_post_at", "post_count", "is_locked", "is_pinned", "is_featured",
                       "is_hidden", "accepted_post"]
    filter_horizontal = ["topics"]
    actions = ["lock", "unlock", "pin", "unpin", "feature", "unfeature"]

    def get_queryset(self, request):
        # Staff who do not moderate (Koordination, counting) read the forum as participants do: nothing hidden.
        return access.visible_threads(request.user, super().get_queryset(request))

    def has_add_permission(self, request):
        return False  # a thread begins with its opening post: staff start one in the forum, as participants do

    def _flags(self, request, queryset, **flags):
        done = 0
        for thread in queryset:
            if all(getattr(thread, name) == value for name, value in flags.items()):
                continue  # already so: nothing to change, nothing to count
            try:
                services.thread_set_flags(thread=thread, by=request.user, **flags)
                done += 1
            except services.ForumActionError as error:
                self.message_user(request, f"{thread}: {error}", messages.ERROR)
        action_outcome(self, request, done and ngettext("%(count)d Thema geändert.", "%(count)d Themen geändert.",
                                                        done) % {"count": done},
                       _("Die gewählten Themen waren schon so; nichts geändert."))

    @admin.action(description=_("Sperren (keine Antworten mehr)"), permissions=["moderate"])
    def lock(self, request, queryset):
        self._flags(request, queryset, is_locked=True)

    @admin.action(description=_("Entsperren"), permissions=["moderate"])
    def unlock(self, request, queryset):
        self._flags(request, queryset, is_locked=False)

    @admin.action(description=_("Anheften"), permissions=["moderate"])
    def pin(self, request, queryset):
        self._flags(request, queryset, is_pinned=True)

    @admin.action(description=_("Nicht mehr anheften"), permissions=["moderate"])
    def unpin(self, request, queryset):
        self._flags(request, queryset, is_pinned=False)

    @admin.action(description=_("Als Praxistipp auf der Forum-Startseite hervorheben"), permissions=["moderate"])
    def feature(self, request, queryset):
        self._flags(request, queryset, is_featured=True)

    @admin.action(description=_("Nicht mehr hervorheben"), permissions=["moderate"])
    def unfeature(self, request, queryset):
        self._flags(request, queryset, is_featured=False)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)

        class ThreadForm(form):
            def clean_kind(self):
                kind = self.cleaned_data["kind"]
                if self.instance.pk and (refusal := services.thread_kind_refusal(self.instance, kind)):
                    raise forms.ValidationError(refusal)
                return kind

        return ThreadForm

    def save_model(self, request, obj, form, change):
        services.thread_edit(thread=obj, by=request.user, changed_fields=form.changed_data)


class AttachmentInline(admin.TabularInline):
    model = Attachment
    fields = ["original_name", "content_type", "size", "uploaded_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Post)
class PostAdmin(ModeratedAdmin):
    list_display = ["__str__", "author", "created_at", "edited_at", "is_hidden", "helpful_count"]
    list_filter = ["is_hidden"]
    search_fields = ["body", "thread__title"]
    list_select_related = ["thread", "author"]
    readonly_fields = ["thread", "author", "body", "is_first", "created_at", "edited_at", "is_hidden", "hidden_at",
                       "hidden_by", "helpful_count"]
    inlines = [AttachmentInline]
    actions = ["delete_selected", "hide", "restore"]

    def get_queryset(self, request):
        return access.visible_posts(request.user, super().get_queryset(request))

    def has_add_permission(self, request):
        return False

    def delete_view(self, request, object_id, extra_context=None):
        post = self.get_object(request, object_id)
        # Whoever may not delete posts at all gets Django's own answer (403).
        if post is not None and post.is_first and self.has_delete_permission(request, post):
            self.message_user(request, OPENING_POST_STAYS, messages.ERROR)
            return HttpResponseRedirect(reverse("admin:forum_post_change", args=[post.pk]))
        return super().delete_view(request, object_id, extra_context)

    @admin.action(description=django_delete_selected.short_description, permissions=["delete"])
    def delete_selected(self, request, queryset):
        """Django's delete with its confirmation page, for answers only: a thread keeps its opening post."""
        if queryset.filter(is_first=True).exists():
            self.message_user(request, OPENING_POST_STAYS, messages.ERROR)
            return None
        return django_delete_selected(self, request, queryset)

    @admin.action(description=_("Ausblenden (bleibt gespeichert)"), permissions=["moderate"])
    def hide(self, request, queryset):
        hidden = services.posts_hide(post_pks=queryset.values_list("pk", flat=True), by=request.user)
        done, openers = hidden.posts, hidden.threads
        action_outcome(self, request, done and ngettext("%(count)d Beitrag ausgeblendet.",
                                                        "%(count)d Beiträge ausgeblendet.", done) % {"count": done},
                       _("Die gewählten Beiträge waren schon ausgeblendet."))
        if openers:
            # An opening post takes its thread with it: every answer in it is hidden from participants too.
            self.message_user(request, ngettext(
                "Darunter ein Eröffnungsbeitrag: Sein ganzes Thema ist mit allen Antworten ausgeblendet.",
                "Darunter %(count)d Eröffnungsbeiträge: Ihre ganzen Themen sind mit allen Antworten ausgeblendet.",
                openers) % {"count": openers}, messages.WARNING)

    @admin.action(description=_("Wieder einblenden"), permissions=["moderate"])
    def restore(self, request, queryset):
        done = services.posts_restore(post_pks=queryset.values_list("pk", flat=True), by=request.user)
        action_outcome(self, request, done and ngettext(
            "%(count)d Beitrag wieder eingeblendet.", "%(count)d Beiträge wieder eingeblendet.", done)
            % {"count": done},
                       _("Die gewählten Beiträge waren nicht ausgeblendet."))


@admin.register(Report)
class ReportAdmin(ModeratedAdmin):
    list_display = ["post", "reason", "reporter", "created_at", "resolved_at", "post_hidden"]
    list_filter = [("resolved_at", admin.EmptyFieldListFilter)]
    search_fields = ["post__thread__title", "reason", *person_search_fields("post__author__")]
    list_select_related = ["post__thread", "reporter"]
    readonly_fields = ["post", "post_body", "reporter", "reason", "created_at", "resolved_at", "resolved_by"]
    fields = readonly_fields
    actions = ["hide_post", "restore_post", "resolve"]

    def get_queryset(self, request):
        # A report shows the post's text: only of posts the staff member may read.
        return super().get_queryset(request).filter(post__in=access.visible_posts(request.user))

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("Text des Beitrags"))
    def post_body(self, obj):
        return obj.post.body

    @admin.display(description=_("Beitrag ausgeblendet"), boolean=True)
    def post_hidden(self, obj):
        return obj.post.is_hidden

    @admin.action(description=_("Gemeldeten Beitrag ausblenden und Meldung erledigen"), permissions=["moderate"])
    def hide_post(self, request, queryset):
        # Every open report on these posts is resolved with them, other people's included.
        hidden = services.posts_hide(post_pks=queryset.values_list("post_id", flat=True), by=request.user)
        done, resolved = hidden.posts, hidden.reports
        action_outcome(self, request, (done or resolved) and " ".join([
            ngettext("%(count)d Beitrag ausgeblendet.", "%(count)d Beiträge ausgeblendet.", done) % {"count": done},
            ngettext("%(count)d Meldung erledigt.", "%(count)d Meldungen erledigt.", resolved) % {"count": resolved}]),
            _("Die gemeldeten Beiträge waren schon ausgeblendet und die Meldungen erledigt."))

    @admin.action(description=_("Gemeldeten Beitrag wieder einblenden"), permissions=["moderate"])
    def restore_post(self, request, queryset):
        done = services.posts_restore(post_pks=queryset.values_list("post_id", flat=True), by=request.user)
        action_outcome(self, request, done and ngettext(
            "%(count)d Beitrag wieder eingeblendet.", "%(count)d Beiträge wieder eingeblendet.", done)
            % {"count": done},
                       _("Die gemeldeten Beiträge waren nicht ausgeblendet."))

    @admin.action(description=_("Als erledigt markieren (Beitrag bleibt sichtbar)"), permissions=["moderate"])
    def resolve(self, request, queryset):
        done = 0
        for report in queryset.filter(resolved_at__isnull=True):
            services.report_resolve(report=report, by=request.user)
            done += 1
        action_outcome(self, request, done and ngettext("%(count)d Meldung erledigt.", "%(count)d Meldungen erledigt.",
                                                        done) % {"count": done},
                       _("Die gewählten Meldungen waren schon erledigt."))
