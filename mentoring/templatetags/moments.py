"""``{{ moment|iso_datetime }}``: the machine-readable value of every ``<time datetime>`` on the site.

The value itself is worked out by ``mentoring.kernel.dates.iso_datetime`` (the kernel, so that the feature
apps' own template tags can use it too); this library only offers it to templates, so no template writes
the attribute its own way.
"""
from django import template

from mentoring.kernel.dates import iso_datetime

register = template.Library()
register.filter("iso_datetime", iso_datetime)
