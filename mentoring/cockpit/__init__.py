"""The coordinators' cockpit: the programme at a glance on /admin/ and the yearly report for the funder.

It reads every app, so it sits at the project level (docs/architecture.md): it may import the
feature apps, and nothing but ``mentoring.urls`` imports it.
"""
