"""Data: one meeting per Tandem and date where both partners logged it, notes become private notes, run summaries keep only pks.

Merging, per Tandem and date where entries by both partners exist: the earliest entry
(lowest created_at, then pk) is kept with its date, duration and format, because the later
entry was the partner logging the same meeting again; it gets the union of all entries'
topics, is marked confirmed (both sides logged it) with the other author and the later
entry's time as the confirmation, and the other entries are deleted. Every old ``note``
becomes its author's private ``MeetingNote`` on the kept meeting (several notes of one
author are joined with a blank line). Entries of a single author stay as they are: their
``submitted_at`` is their ``created_at``, so they count once the confirmation period passed.
"""
from collections import defaultdict

from django.db import migrations


def forward(apps, schema_editor):
    Meeting = apps.get_model("matching", "Meeting")
    MeetingNote = apps.get_model("matching", "MeetingNote")
    MatchRun = apps.get_model("matching", "MatchRun")
    groups = defaultdict(list)
    for meeting in Meeting.objects.order_by("created_at", "pk").prefetch_related("topics"):
        Meeting.objects.filter(pk=meeting.pk).update(submitted_at=meeting.created_at)
        groups[(meeting.tandem_id, meeting.date)].append(meeting)
    for entries in groups.values():
        kept = entries[0]
        notes = defaultdict(list)
        for entry in entries:
            if entry.note.strip() and entry.logged_by_id is not None:
                notes[entry.logged_by_id].append(entry.note.strip())
        if len({entry.logged_by_id for entry in entries}) > 1:
            others = entries[1:]
            kept.topics.add(*{topic.pk for entry in others for topic in entry.topics.all()})
            reviewer = next(e for e in others if e.logged_by_id != kept.logged_by_id)
            Meeting.objects.filter(pk=kept.pk).update(status="confirmed", reviewed_by_id=reviewer.logged_by_id,
                                                      reviewed_at=reviewer.created_at)
            Meeting.objects.filter(pk__in=[e.pk for e in others]).delete()
            MeetingNote.objects.bulk_create(
                MeetingNote(meeting_id=kept.pk, author_id=author, text="\n\n".join(texts)[:1000])
                for author, texts in notes.items())
        else:
            MeetingNote.objects.bulk_create(
                MeetingNote(meeting_id=entry.pk, author_id=entry.logged_by_id, text=entry.note.strip())
                for entry in entries if entry.note.strip() and entry.logged_by_id is not None)
    for run in MatchRun.objects.all():
        unmatched = (run.summary or {}).get("unmatched") or []
        if any("name" in item for item in unmatched):
            run.summary["unmatched"] = [{k: v for k, v in item.items() if k != "name"} for item in unmatched]
            run.save(update_fields=["summary"])


class Migration(migrations.Migration):

    dependencies = [("matching", "0002_meeting_confirmation_notes_tandem_survives_erasure")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
