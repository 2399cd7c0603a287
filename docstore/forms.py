from django import forms

from docstore.selectors import SOURCES


class ReuseForm(forms.Form):
    """One offer chosen on the reuse page: which component, and which paper of the store."""

    component = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    source = forms.ChoiceField(choices=[(source, source) for source in SOURCES], widget=forms.HiddenInput)
    item = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
