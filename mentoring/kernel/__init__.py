"""The shared kernel: outbox mail, Markdown, CSV, personal-data registry, honeypot, model updates; imports no feature app."""
