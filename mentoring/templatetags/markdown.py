"""``{{ text|markdown }}``: safe Markdown in templates."""
from django import template

from mentoring.kernel.markdown import render_markdown, stored_html

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text):
    return render_markdown(text)


@register.filter(name="stored_html")
def stored_html_filter(html):
    """HTML stored by ``render_markdown_stored`` (already sanitised), for the reader's language."""
    return stored_html(html)
