"""Views of the forum app."""
from django.shortcuts import render


def index(request):
    return render(request, "pages/home.html")
