"""Views of the events app."""
from django.shortcuts import render


def list(request):
    return render(request, "pages/home.html")
