"""Serving a kept file: always as an attachment, with the type the upload
check recorded, nosniff and a sandbox, so a browser never renders or runs it.

The file is read through its field's storage (this server's disk, or object
storage: settings, STORAGES) and streamed a block at a time; object storage
is never linked to directly, so every download passes the view's scope check."""

from django.http import FileResponse, Http404


def attachment_response(file_field, *, filename: str, content_type: str) -> FileResponse:
    """The file a record keeps (a FieldFile), as a download named ``filename``;
    404 when the record keeps none or storage has lost it."""
    if not file_field:
        raise Http404("No file is kept.")
    try:
        handle = file_field.storage.open(file_field.name, "rb")
    except FileNotFoundError as error:
        raise Http404("The file is missing from storage.") from error
    response = FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
