"""Serving a kept file: as an attachment, with the type the upload check
recorded, nosniff and a sandbox, so a browser never renders or runs it; or,
for a PDF or a picture, inline in a sandbox, to be looked at in the portal.

The file is read through its field's storage (this server's disk, or object
storage: settings, STORAGES) and streamed a block at a time; object storage
is never linked to directly, so every download passes the view's scope check."""

from django.http import FileResponse, Http404

# What a browser shows by itself, safely, in a frame: pictures and PDFs (the
# upload check refused PDFs that run JavaScript or start programs).
PREVIEWABLE_TYPES = ("application/pdf", "image/png", "image/jpeg")
# Django's FileResponse reads 4 KB a time: a 6 MB board pack was 1,500 reads,
# and its download's time grew with its size. 256 KB blocks keep memory small.
BLOCK_SIZE = 256 * 1024


def _file_response(file_field, *, filename: str, content_type: str, as_attachment: bool) -> FileResponse:
    if not file_field:
        raise Http404("No file is kept.")
    try:
        handle = file_field.storage.open(file_field.name, "rb")
    except FileNotFoundError as error:
        raise Http404("The file is missing from storage.") from error
    response = FileResponse(handle, as_attachment=as_attachment, filename=filename, content_type=content_type)
    response.block_size = BLOCK_SIZE
    response["X-Content-Type-Options"] = "nosniff"
    return response


def attachment_response(file_field, *, filename: str, content_type: str) -> FileResponse:
    """The file a record keeps (a FieldFile), as a download named ``filename``;
    404 when the record keeps none or storage has lost it."""
    response = _file_response(file_field, filename=filename, content_type=content_type, as_attachment=True)
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def previewable(content_type: str) -> bool:
    return content_type in PREVIEWABLE_TYPES


def inline_response(file_field, *, filename: str, content_type: str) -> FileResponse:
    """The file a record keeps, to be looked at in the portal's own pages (a
    frame on the review page) rather than downloaded: only a type of
    PREVIEWABLE_TYPES (404 for any other), served with the type the upload
    check found, never sniffed, and sandboxed: whatever it holds runs no
    script, in an origin of its own, and only the portal may frame it.
    (Chrome shows a PDF so served; it refuses one in a frame that has a
    ``sandbox`` attribute, which is why the page's frame has none.)"""
    if not previewable(content_type):
        raise Http404("This kind of file cannot be previewed.")
    response = _file_response(file_field, filename=filename, content_type=content_type, as_attachment=False)
    response["Content-Security-Policy"] = "sandbox; default-src 'none'; frame-ancestors 'self'"
    response["X-Frame-Options"] = "SAMEORIGIN"
    return response
