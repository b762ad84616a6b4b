"""``{{ page|page_links }}``: the page numbers every paginated list of the site links to
(``templates/includes/pagination.html``)."""
from django import template

register = template.Library()


@register.filter
def page_links(page):
    """The first and last page, two on each side of the current one, and ``…`` (``Paginator.ELLIPSIS``)
    for each gap, so that a category of 700 threads shows 9 links, not 28."""
    return page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
