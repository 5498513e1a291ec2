"""Scanned signed copies: what an upload must be (a PDF, PNG or JPEG by its first bytes and
its name, within the size limit) and how it is kept."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from papers.models import Document, ScannedCopy
from partyorg import uploads

SCAN_TYPES = (uploads.PDF, uploads.PNG, uploads.JPEG)


def max_scan_bytes() -> int:
    return settings.PARTYORG.get("SCAN_MAX_BYTES", 10 * 2**20)


def scan_type(upload) -> str:
    """The content type of `upload` when its name and its first bytes agree on a PDF, PNG
    or JPEG within the size limit; ValidationError otherwise."""
    content_type = uploads.upload_type(upload, SCAN_TYPES, limit=max_scan_bytes())
    if content_type is None:
        raise ValidationError(_("Attach a scan as a PDF, PNG or JPEG file."))
    return content_type


def attach_scan(document: Document, upload, *, by) -> ScannedCopy:
    """Keep `upload` as a scanned copy of the issued `document`, with a history row by
    `by`. ValidationError (nothing kept) for a draft or a file that is not a scan."""
    if not document.is_issued:
        raise ValidationError(_("Only an issued document has a signed copy to attach."))
    content_type = scan_type(upload)
    with transaction.atomic():
        scan = ScannedCopy(
            document=document,
            file=upload,
            content_type=content_type,
            size=upload.size,
            uploaded_by=by,
        )
        scan._history_user = by
        scan.save()
    return scan
