"""Each staff group gets the permissions its work needs (the table in accounts/staff_groups.py).

Only adds: a permission staff gave a group by hand stays; running it again changes nothing.
"""
from django.db import migrations

from accounts.staff_groups import grant_permissions


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0010_user_person_history_permission"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("events", "0003_event_former_no_shows"),
        ("forum", "0004_thread_moderate_forum_permission"),
        ("letters", "0003_letter_send_essential_permission"),
        ("matching", "0006_problem_report_cases"),
        ("mentoring", "0010_beat_intro_reminders"),
    ]
    operations = [migrations.RunPython(grant_permissions, migrations.RunPython.noop)]
