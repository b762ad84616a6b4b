"""``{{ text|markdown }}``: safe Markdown in templates."""
from django import template

from mentoring.kernel.markdown import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text):
    return render_markdown(text)
