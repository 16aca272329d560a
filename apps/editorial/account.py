"""The account page, where every user chooses the admin's language.

Wagtail's page saves all its panels with one button and refuses the whole page while
its "Name" panel lacks a first or last name, so an account without names (the
development superuser, an account made by a script) could never change its language.
Here names are optional: leaving them empty is a choice, not an error.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from wagtail.admin.forms.account import NameEmailForm
from wagtail.admin.views.account import AccountView as WagtailAccountView
from wagtail.admin.views.account import NameEmailSettingsPanel


class OptionalNameEmailForm(NameEmailForm):
    first_name = forms.CharField(required=False, label=_("First Name"))
    last_name = forms.CharField(required=False, label=_("Last Name"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        email = self.fields.get("email")
        if email is not None and not self.instance.email:
            email.required = False  # an account without an address may stay so


class OptionalNameEmailSettingsPanel(NameEmailSettingsPanel):
    form_class = OptionalNameEmailForm


class AccountView(WagtailAccountView):
    def get_panels(self):
        return [
            OptionalNameEmailSettingsPanel(panel.request, panel.user, panel.profile)
            if type(panel) is NameEmailSettingsPanel
            else panel
            for panel in super().get_panels()
        ]
