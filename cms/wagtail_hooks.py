"""The Wagtail admin under the site's Content-Security-Policy (`script-src 'self'`).

Wagtail 8 starts a few widgets from inline scripts, which the policy blocks: the date and
time pickers (overridden in cms/templates/wagtailadmin/widgets/: Django's form renderer
finds widget templates in apps, not in templates/), InlinePanel and MultipleChooserPanel
(overridden in templates/wagtailadmin/panels/), whose overrides describe those calls as
data instead, and the page, document, image, snippet and task choosers, whose Python
widget appends `<script>new PageChooser(…)</script>` to its HTML. The choosers'
render() is replaced below with one that leaves the same description: an empty
<template> element with data attributes, which no browser runs. One static
script, static/js/admin-csp-init.js, then makes the calls: for the page as it is served
and for every form Wagtail adds later (a new InlinePanel item comes from a <template>).
"""

from __future__ import annotations

import json

from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from wagtail import hooks
from wagtail.admin.widgets.chooser import BaseChooser
from wagtail.admin.widgets.workflows import AdminTaskChooser

ADMIN_JS = "js/admin-csp-init.js"


def init_data(call: str, *, target_id: str | None = None, options=None) -> str:
    """An empty, inert <template> whose data attributes admin-csp-init.js reads to call
    `call` (with the widget's element id and its options)."""
    attributes = format_html('data-via-admin-init="{}"', call)
    if target_id is not None:
        attributes += format_html(' data-via-admin-id="{}"', target_id)
    if options is not None:
        attributes += format_html(' data-via-admin-options="{}"', json.dumps(options))
    return format_html("<template {}></template>", attributes)


def render_chooser_without_inline_script(self, name, value, attrs=None, renderer=None):
    """BaseChooser.render, with the initialising script described as data."""
    try:
        id_ = attrs["id"]
    except (KeyError, TypeError) as e:
        raise TypeError("BaseChooser cannot be rendered without an 'id' attribute") from e
    value_data = self.get_value_data(value)
    widget_html = self.render_html(name, value_data, attrs)
    if isinstance(self, AdminTaskChooser):  # its script is createTaskChooser(id)
        init = init_data("createTaskChooser", target_id=id_)
    else:
        options = self.get_js_init_options(id_, name, value_data)
        init = init_data(self.js_constructor, target_id=id_, options=options)
    # widget_html comes from Wagtail's own template, as in the method this replaces.
    return mark_safe(f"{widget_html}{init}")  # noqa: S308


BaseChooser.render = render_chooser_without_inline_script


@hooks.register("insert_global_admin_js")
def admin_widgets_without_inline_scripts():
    return format_html('<script src="{}"></script>', static(ADMIN_JS))
