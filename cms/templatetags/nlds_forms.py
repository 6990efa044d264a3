"""Render Django form fields as NL Design System form fields.

`{% nlds_field form.email %}` renders label, description, error message and input in the
Utrecht/Rijkshuisstijl markup, ties description and error to the input with
aria-describedby, marks invalid inputs, and keeps what the person typed.
"""

from __future__ import annotations

from django import forms, template

register = template.Library()

WIDGET_CLASSES = {
    forms.CheckboxInput: "utrecht-checkbox utrecht-checkbox--html-input",
    forms.RadioSelect: "",
    forms.CheckboxSelectMultiple: "",
    forms.Select: "utrecht-select utrecht-select--html-select",
    forms.SelectMultiple: "utrecht-select utrecht-select--html-select",
    forms.Textarea: "utrecht-textarea utrecht-textarea--html-textarea",
    forms.ClearableFileInput: "rhc-file-input",
    forms.FileInput: "rhc-file-input",
}
DEFAULT_CLASS = "utrecht-textbox utrecht-textbox--html-input"


def _widget_class(widget: forms.Widget) -> str:
    for widget_type in type(widget).__mro__:
        if widget_type in WIDGET_CLASSES:
            return WIDGET_CLASSES[widget_type]
    return DEFAULT_CLASS


@register.inclusion_tag("components/form_field.html")
def nlds_field(field: forms.BoundField, mark_optional: bool = True) -> dict:
    """`mark_optional=False` for filter forms, where every field is optional."""
    widget = field.field.widget
    described_by = []
    if field.errors:
        described_by.append(f"{field.auto_id}-error")
    if field.help_text:
        described_by.append(f"{field.auto_id}-help")
    attrs = {}
    css = _widget_class(widget)
    if css:
        attrs["class"] = css + (
            " utrecht-textbox--invalid" if field.errors and "textbox" in css else ""
        )
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    if field.errors:
        attrs["aria-invalid"] = "true"
    if field.field.required and not isinstance(widget, forms.CheckboxInput):
        attrs["aria-required"] = "true"
    return {
        "field": field,
        "mark_optional": mark_optional and not field.field.required,
        "widget_html": field.as_widget(attrs=attrs),
        "is_checkbox": isinstance(widget, forms.CheckboxInput),
        "is_group": isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple),
    }
