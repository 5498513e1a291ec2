"""Opening a stored file (a shared document, a prepared export, a report file, a scanned
copy) to send it.

A file whose row is in the database but whose bytes are not in storage (a database
restored without its media folder, a disk fault) is the server's fault, not the user's:
StoredFileMissing, logged here, which partyorg.middleware.ErrorPageMiddleware answers with
a page that says so. Views open the file before recording the download or the reading,
so a file that could not be sent is never recorded as sent.
"""

import logging

from django.db.models.fields.files import FieldFile
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


class StoredFileMissing(Exception):
    def __init__(self):
        super().__init__(
            _(
                "The file is missing from the server's storage, so it cannot be sent. "
                "Nothing was recorded; tell the administrator."
            )
        )


def open_stored(file: FieldFile) -> FieldFile:
    """`file` opened for reading, or StoredFileMissing."""
    try:
        return file.open("rb")
    except FileNotFoundError as error:
        logger.error("stored file %s is missing from storage", file.name)
        raise StoredFileMissing from error
