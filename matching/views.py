"""Views of the matching app."""
from django.shortcuts import render


def tandem_list(request):
    return render(request, "pages/home.html")
