from pathlib import PurePath

from django import forms
from django.utils.translation import gettext_lazy as _

from office.imports.registry import available_kinds
from partyorg.imports.files import MAX_UPLOAD_BYTES, FileProblem, check_content
from partyorg.text import normalize_text


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("What the file holds"), choices=available_kinds)
    file = forms.FileField(
        label=_("Spreadsheet"),
        help_text=_("An .xlsx workbook or a UTF-8 .csv file, at most %(mb)d MB.")
        % {"mb": MAX_UPLOAD_BYTES // 2**20},
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(limit)d MB.") % {"limit": MAX_UPLOAD_BYTES // 2**20}
            )
        content = upload.read()
        try:
            check_content(upload.name, content)
        except FileProblem as problem:
            raise forms.ValidationError(str(problem)) from problem
        self.content = content
        # Shown on the import pages only (escaped); stored under a random name.
        self.file_name = normalize_text(PurePath(upload.name.replace("\\", "/")).name)[-200:]
        return upload
