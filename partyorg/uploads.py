"""What an uploaded file is: its type, told by its name's ending and its first bytes
together (a renamed file is refused), within a size limit. Scanned copies (papers) and
a meeting's documents (branchwork) take it from here, each with the types it accepts."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

# A type: the name's endings and the bytes a file of that type starts with (a DOCX is a
# ZIP archive).
FILE_TYPES = {
    PDF: ((".pdf",), b"%PDF-"),
    PNG: ((".png",), b"\x89PNG\r\n\x1a\n"),
    JPEG: ((".jpg", ".jpeg"), b"\xff\xd8\xff"),
    DOCX: ((".docx",), b"PK\x03\x04"),
}


def upload_type(upload, types: tuple[str, ...], *, limit: int) -> str | None:
    """The content type among `types` that `upload`'s name and first bytes agree on; None
    when they agree on none. ValidationError when the file is larger than `limit` bytes."""
    if upload.size > limit:
        raise ValidationError(
            _("The file is larger than %(limit)d MB.") % {"limit": limit // 2**20}
        )
    head = upload.read(8)
    upload.seek(0)
    name = upload.name.lower()
    for content_type in types:
        endings, magic = FILE_TYPES[content_type]
        if name.endswith(endings) and head.startswith(magic):
            return content_type
    return None
