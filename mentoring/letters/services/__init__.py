"""Letter services, one module per capability: drafts, rendering, sending, preview, unsubscribe, privacy."""
from .drafts import SENT_MEANWHILE, letter_draft_save
from .errors import LetterError
from .preview import letter_preview, letter_preview_html
from .privacy import personal_data, personal_data_erase
from .rendering import letter_language, letter_mail
from .sending import letter_deliver, letter_may_send, letter_send, letter_test_send, letters_resume, news_mails_withdraw
from .unsubscribe import news_unsubscribe, news_unsubscribe_resolve, news_unsubscribe_token, news_unsubscribe_url

__all__ = [
    "LetterError", "SENT_MEANWHILE",
    "letter_deliver", "letter_draft_save", "letter_language", "letter_mail", "letter_may_send",
    "letter_preview", "letter_preview_html", "letter_send", "letter_test_send", "letters_resume", "news_mails_withdraw",
    "news_unsubscribe",
    "personal_data", "personal_data_erase", "news_unsubscribe_resolve", "news_unsubscribe_token",
    "news_unsubscribe_url",
]
