from django import forms

from .models import User


class PreferencesForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["reminder_delivery"]
        labels = {"reminder_delivery": "How would you like your reminders?"}
        widgets = {"reminder_delivery": forms.RadioSelect}
