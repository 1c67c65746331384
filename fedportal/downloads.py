"""Serving an uploaded file: always as an attachment, with the type the
upload check recorded and nosniff, so a browser never renders or runs it."""

from django.http import FileResponse, Http404


def attachment_response(file_field, *, filename: str, content_type: str) -> FileResponse:
    try:
        handle = file_field.open("rb")
    except FileNotFoundError as error:
        raise Http404("The file is missing from storage.") from error
    response = FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
