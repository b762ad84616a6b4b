"""The shared kernel: outbox mail, Markdown, CSV, personal-data registry, honeypot, model updates.

Nothing here imports a feature app (matching, forum, events); see docs/architecture.md.
"""
