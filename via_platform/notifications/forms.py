from django import forms

from via_platform.notifications.registry import Category, Frequency


class PreferencesForm(forms.Form):
    """One choice per category; in-app notifications are always on."""

    def __init__(self, *args, initial_frequencies: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        for category in Category:
            self.fields[category.value] = forms.ChoiceField(
                label=category.label,
                choices=Frequency.choices,
                initial=initial_frequencies[category.value],
                widget=forms.RadioSelect,
            )
