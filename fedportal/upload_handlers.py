"""Django's upload handlers, remembering how long each file's name was as the
browser sent it.

Django cuts a name past 255 characters before any form sees it, so a form
cannot tell it was ever longer; these handlers keep the length sent on the
file (``sent_name_length``), and the upload check refuses such a name beside
the field like any other bad file."""

from django.core.files import uploadhandler

# Django refuses a form part whose headers pass 1 KB with a bare "Bad Request"
# page, before the form or the view runs, losing what the user typed (Django
# ticket #34968): a file name of about 950 characters is enough. 16 KB still
# bounds each part's headers, far past any name a file system allows.
MAX_PART_HEADER_BYTES = 16 * 1024


class _RemembersNameLength:
    sent_name_length = 0

    def new_file(self, field_name, file_name, *args, **kwargs):
        self.sent_name_length = len(file_name or "")
        return super().new_file(field_name, file_name, *args, **kwargs)

    def file_complete(self, file_size):
        upload = super().file_complete(file_size)
        if upload is not None:
            upload.sent_name_length = self.sent_name_length
        return upload


class MemoryFileUploadHandler(_RemembersNameLength, uploadhandler.MemoryFileUploadHandler):
    """Small files, kept in memory."""


class TemporaryFileUploadHandler(_RemembersNameLength, uploadhandler.TemporaryFileUploadHandler):
    """Larger files, streamed to a temporary file."""
