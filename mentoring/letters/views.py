"""The unsubscribe link of news letters: works without login; GET asks, POST withdraws the news consent."""
from django.core import signing
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from . import services


@csrf_exempt  # the signed token is the authority; mail clients POST here for RFC 8058 one-click unsubscribe
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """GET shows a button (link scanners only GET, so they withdraw nothing); POST withdraws at once."""
    try:
        services.unsubscribe_resolve(token=token)
    except signing.BadSignature:
        return render(request, "letters/unsubscribe.html", {"invalid": True}, status=400)
    done = False
    if request.method == "POST":
        services.news_unsubscribe(token=token)
        done = True
    return render(request, "letters/unsubscribe.html", {"done": done})
