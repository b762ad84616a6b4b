"""The page behind an e-mail's unsubscribe link, for every kind of mail that has one."""
from django.core import signing
from django.shortcuts import render


def unsubscribe_page(request, token: str, *, template: str, resolve, unsubscribe, context=None):
    """Without login: GET asks with a button (link scanners only GET, so they withdraw nothing), POST
    unsubscribes at once (RFC 8058 one-click, from mail clients too). A token that does not verify
    (``resolve`` raises ``signing.BadSignature``) answers 400.

    ``resolve(token=...)`` reads the token, ``unsubscribe(token=...)`` acts on it; ``context(resolved)``
    adds what the page names, after the unsubscribing. The view keeps ``csrf_exempt`` (the signed
    token is the authority) and GET/POST only.
    """
    try:
        resolved = resolve(token=token)
    except signing.BadSignature:
        return render(request, template, {"invalid": True}, status=400)
    done = request.method == "POST"
    if done:
        unsubscribe(token=token)
    return render(request, template, {**(context(resolved) if context else {}), "done": done})
