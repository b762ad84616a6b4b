"""Reactions to other apps' signals."""
from django.dispatch import receiver

from accounts.signals import news_withdrawn

from .services import news_mails_withdraw


@receiver(news_withdrawn, dispatch_uid="letters_withdraw_news_mails")
def withdraw_waiting_news(sender, user, **kwargs):
    news_mails_withdraw(user=user)
