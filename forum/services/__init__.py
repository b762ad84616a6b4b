"""Every write of the forum, one module per capability; callers use ``services.<name>`` from here."""
from .errors import ForumActionError
from .marks import helpful_toggle, thread_accept_answer, thread_mark_read, threads_mark_all_read
from .moderation import (
    post_hide,
    post_restore,
    posts_hide,
    posts_restore,
    report_create,
    report_resolve,
    thread_edit,
    thread_kind_refusal,
    thread_move,
    thread_set_flags,
    threads_refresh,
)
from .notifications import (
    author_label,
    digest_send,
    digests_send_all,
    post_notify,
    post_notify_after_commit,
    post_notify_by_pk,
    posts_notify_pending,
)
from .posting import (
    attachment_add,
    attachment_file_delete,
    post_body_set,
    post_create,
    post_edit,
    posts_rerender,
    quote_text,
    thread_content_changed,
    thread_create,
)
from .privacy import personal_data, personal_data_erase
from .search import thread_reindex, thread_unindex
from .subscriptions import (
    category_subscribe,
    category_unsubscribe,
    notification_mode,
    notification_mode_set,
    subscriptions_remove,
    thread_subscribe,
    thread_unsubscribe,
    unsubscribe_by_token,
    unsubscribe_resolve,
    unsubscribe_token,
    unsubscribe_url,
)
