"""The unsubscribe link of news letters: works without login; GET asks, POST withdraws the news consent."""
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from mentoring.kernel.unsubscribe import unsubscribe_page

from . import services


@csrf_exempt  # the signed token is the authority; mail clients POST here for RFC 8058 one-click unsubscribe
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token):
    """Withdraw the news consent from a letter's link."""
    return unsubscribe_page(request, token, template="letters/unsubscribe.html",
                            resolve=services.news_unsubscribe_resolve, unsubscribe=services.news_unsubscribe)
