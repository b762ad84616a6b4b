"""Forum data: categories, threads, posts, attachments, marks, subscriptions, reports."""
import uuid

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MinLengthValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import reference_name
from mentoring.kernel.fields import acting_user
from mentoring.kernel.validators import single_line

from .uploads import download_name

TITLE_MIN_LENGTH, TITLE_MAX_LENGTH = 5, 160
TITLE_TOO_SHORT = _("Der Titel braucht mindestens %(limit_value)d Zeichen, damit andere das Thema finden.")
BODY_MAX_LENGTH = 20000
REPORT_REASON_MAX_LENGTH = 1000


class Category(models.Model):
    """An area of the forum set up by staff, optionally limited to mentors or to staff-started threads."""

    name = models.CharField(_("Name"), max_length=80)
    slug = models.SlugField(_("Kurzname in der Adresse"), unique=True)
    description = models.TextField(_("Beschreibung"), max_length=1000)
    position = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)
    mentors_only = models.BooleanField(
        _("nur für Mentor*innen"), default=False,
        help_text=_("Mentees sehen diese Kategorie nicht; Moderation und Koordination sehen sie immer."))
    staff_only_threads = models.BooleanField(
        _("nur Koordination eröffnet Themen"), default=False,
        help_text=_("Teilnehmer*innen können antworten, aber keine neuen Themen beginnen."))

    class Meta:
        verbose_name = _("Kategorie")
        verbose_name_plural = _("Kategorien")
        ordering = ["position", "name"]

    def __str__(self):
        return self.name

    @property
    def label(self) -> str:
        """The name in the reader's language: the categories the forum ships with are in the catalogue
        (``migrations/0002``); one staff named in admin stays as written."""
        return reference_name(self.name)

    @property
    def description_label(self) -> str:
        return reference_name(self.description)


class Thread(models.Model):
    """A conversation in one category, started by its first post."""

    class Kind(models.TextChoices):
        DISCUSSION = "discussion", _("Diskussion")
        QUESTION = "question", _("Frage")
        TIP = "tip", _("Praxistipp")

    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="threads",
                                 verbose_name=_("Kategorie"))
    title = models.CharField(_("Titel"), max_length=TITLE_MAX_LENGTH,
                             validators=[MinLengthValidator(TITLE_MIN_LENGTH, TITLE_TOO_SHORT), single_line])
    kind = models.CharField(_("Art"), max_length=12, choices=Kind.choices, default=Kind.DISCUSSION)
    topics = models.ManyToManyField("accounts.Topic", blank=True, related_name="forum_threads",
                                    verbose_name=_("Themen"))
    # A deleted account (DSGVO Art. 17) must not delete the answers others wrote in its threads.
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="forum_threads", verbose_name=_("eröffnet von"))
    created_at = models.DateTimeField(_("eröffnet am"), auto_now_add=True)
    # The language the title was written in (its author's when it was written): an English page marks a German
    # title lang="de" (WCAG 3.1.2), and it stays so when the author later reads the site in English.
    language = models.CharField(_("Sprache"), max_length=8, default=settings.LANGUAGE_CODE, editable=False)
    last_post_at = models.DateTimeField(_("letzter Beitrag am"), db_index=True)
    post_count = models.PositiveIntegerField(_("sichtbare Beiträge"), default=0)
    is_locked = models.BooleanField(_("gesperrt"), default=False)
    is_pinned = models.BooleanField(_("angeheftet"), default=False)
    is_featured = models.BooleanField(_("auf der Startseite hervorgehoben"), default=False)
    # Set when staff hide the first post: the whole thread is then gone for everyone but staff.
    is_hidden = models.BooleanField(_("ausgeblendet"), default=False)
    # Bumped by every change of a post that is not a new post (edit, hide, restore, erased author, new HTML):
    # with last_post_at it names the state of the thread page's cached post list.
    content_version = models.PositiveIntegerField(default=0, editable=False)
    accepted_post = models.ForeignKey("Post", on_delete=models.SET_NULL, null=True, blank=True,
                                      related_name="+", verbose_name=_("hilfreichste Antwort (Lösung)"))
    # Filled on PostgreSQL only (German full-text search); SQLite keeps the same German stems in the FTS5
    # table forum_thread_fts (forum.fulltext, forum.services.search).
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        # "Thema" names the programme's topics too (accounts.Topic): the context keeps them apart in English admin.
        verbose_name = pgettext_lazy("Forum", "Thema")
        verbose_name_plural = pgettext_lazy("Forum", "Themen")
        ordering = ["-is_pinned", "-last_post_at"]
        permissions = [("moderate_forum", _("Forum moderieren (verborgene Beiträge sehen, sperren, anheften, "
                                            "verschieben, verbergen)"))]
        indexes = [
            models.Index(fields=["category", "-is_pinned", "-last_post_at"], name="forum_thread_category_order"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(is_featured=False) | models.Q(kind="tip"),
                                   name="forum_thread_only_tips_featured"),
        ]

    def __str__(self):
        return self.title


class Post(models.Model):
    """One contribution in Markdown; hidden posts stay stored but vanish for everyone but staff."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="posts", verbose_name=_("Thema"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="forum_posts", verbose_name=_("verfasst von"))
    body = models.TextField(_("Text"), max_length=BODY_MAX_LENGTH)
    # The body as sanitised HTML (mentoring.kernel.markdown.render_markdown_stored), written with the body;
    # ``manage.py forum_rerender`` renders every post again when the sanitising policy changes.
    body_html = models.TextField(_("Text als HTML"), blank=True, editable=False)
    is_first = models.BooleanField(_("Eröffnungsbeitrag"), default=False)
    created_at = models.DateTimeField(_("verfasst am"), auto_now_add=True, db_index=True)
    # The language the text was written in, as ``Thread.language``.
    language = models.CharField(_("Sprache"), max_length=8, default=settings.LANGUAGE_CODE, editable=False)
    edited_at = models.DateTimeField(_("bearbeitet am"), null=True, blank=True)
    is_hidden = models.BooleanField(_("ausgeblendet"), default=False)
    hidden_at = models.DateTimeField(_("ausgeblendet am"), null=True, blank=True)
    hidden_by = acting_user(_("ausgeblendet von"))
    helpful_count = models.PositiveIntegerField(_("als hilfreich markiert"), default=0)
    # When its followers were told (mails queued, digest entries written) by the task after commit;
    # empty while that is pending, so that a periodic run catches up what a dead broker never ran.
    notified_at = models.DateTimeField(_("Benachrichtigungen erstellt am"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("Beitrag")
        verbose_name_plural = _("Beiträge")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["thread", "created_at"], name="forum_post_thread_created")]
        constraints = [
            models.UniqueConstraint(fields=["thread"], condition=models.Q(is_first=True),
                                    name="forum_post_one_first_per_thread"),
        ]

    def __str__(self):
        return f"{self.thread} #{self.pk}"


def attachment_upload_to(instance: "Attachment", filename: str) -> str:
    # A random name on disk: the original name is kept in the row, never trusted as a path.
    return f"forum/anhaenge/{instance.uploaded_at_path()}/{uuid.uuid4().hex}.{instance.extension}"


class Attachment(models.Model):
    """A file on a post, checked by content, served only through a view that checks access."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("Beitrag"))
    file = models.FileField(_("Datei"), upload_to=attachment_upload_to, max_length=200)
    original_name = models.CharField(_("Dateiname"), max_length=200)
    extension = models.CharField(_("Dateiendung"), max_length=10)
    content_type = models.CharField(_("Dateityp"), max_length=100)
    size = models.PositiveIntegerField(_("Größe in Bytes"))
    uploaded_at = models.DateTimeField(_("hochgeladen am"), auto_now_add=True)

    class Meta:
        verbose_name = _("Anhang")
        verbose_name_plural = _("Anhänge")
        ordering = ["pk"]

    def __str__(self):
        return self.original_name

    @property
    def download_name(self) -> str:
        """The name readers see and download: safe characters, the checked type's extension."""
        return download_name(self.original_name, self.content_type)

    def uploaded_at_path(self) -> str:
        return (self.uploaded_at or timezone.now()).strftime("%Y/%m")


class HelpfulMark(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="helpful_marks")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forum_helpful_marks")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Hilfreich-Markierung")
        verbose_name_plural = _("Hilfreich-Markierungen")
        constraints = [models.UniqueConstraint(fields=["post", "user"], name="forum_helpful_once_per_person")]

    def __str__(self):
        return f"{self.user} → {self.post}"


class ThreadSubscription(models.Model):
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="subscriptions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="forum_thread_subscriptions")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Themen-Abonnement")
        verbose_name_plural = _("Themen-Abonnements")
        constraints = [models.UniqueConstraint(fields=["thread", "user"], name="forum_thread_subscription_unique")]

    def __str__(self):
        return f"{self.user} → {self.thread}"


class CategorySubscription(models.Model):
    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="subscriptions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="forum_category_subscriptions")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Kategorie-Abonnement")
        verbose_name_plural = _("Kategorie-Abonnements")
        constraints = [models.UniqueConstraint(fields=["category", "user"],
                                               name="forum_category_subscription_unique")]

    def __str__(self):
        return f"{self.user} → {self.category}"


class NotificationSetting(models.Model):
    """How a person wants to hear about new posts: one mail each, or one daily digest."""

    class Mode(models.TextChoices):
        IMMEDIATE = "immediate", _("sofort, eine E-Mail pro Beitrag")
        DAILY = "daily", _("einmal täglich als Zusammenfassung")
        NONE = "none", _("keine E-Mails aus dem Forum")

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="forum_notification_setting")
    mode = models.CharField(_("Benachrichtigung"), max_length=10, choices=Mode.choices, default=Mode.IMMEDIATE)

    class Meta:
        verbose_name = _("Forum-Benachrichtigungseinstellung")
        verbose_name_plural = _("Forum-Benachrichtigungseinstellungen")

    def __str__(self):
        return f"{self.user}: {self.get_mode_display()}"


class DigestItem(models.Model):
    """A new post waiting for a person's next daily digest."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forum_digest_items")
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Eintrag für die Tageszusammenfassung")
        verbose_name_plural = _("Einträge für die Tageszusammenfassung")
        constraints = [models.UniqueConstraint(fields=["user", "post"], name="forum_digest_item_unique")]

    def __str__(self):
        return f"{self.user} → {self.post}"


class ThreadRead(models.Model):
    """Until when a person has read a thread: the base of the unread markers."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="reads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forum_reads")
    read_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["thread", "user"], name="forum_thread_read_unique")]

    def __str__(self):
        return f"{self.user} → {self.thread}"


class CategoryRead(models.Model):
    """Until when a person has read everything in a category ("alle als gelesen markieren").

    A thread is unread when its last post is newer than both this watermark and the person's
    ``ThreadRead`` of it; marking all as read writes one row, not one per thread.
    """

    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="reads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="forum_category_reads")
    read_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["category", "user"], name="forum_category_read_unique")]

    def __str__(self):
        return f"{self.user} → {self.category}"


class Report(models.Model):
    """Someone flagged a post for the Moderation, with a reason."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reports", verbose_name=_("Beitrag"))
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                 related_name="forum_reports", verbose_name=_("gemeldet von"))
    reason = models.TextField(_("Grund"), max_length=REPORT_REASON_MAX_LENGTH)
    created_at = models.DateTimeField(_("gemeldet am"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("erledigt am"), null=True, blank=True)
    resolved_by = acting_user(_("erledigt von"))

    class Meta:
        verbose_name = _("Meldung")
        verbose_name_plural = _("Meldungen")
        ordering = ["resolved_at", "-created_at"]

    def __str__(self):
        return f"{self.post} – {self.reason[:40]}"
