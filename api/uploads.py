"""Reading an uploaded form (a file and its metadata fields) under the API's limits: shared
by the submission route and the submission page."""

from __future__ import annotations

from fastapi import Request
from starlette.datastructures import UploadFile

from api.errors import RequestTooLarge
from indexer.messages import _
from kb.curation.submissions import size_text
from kb.errors import KbError, TooLarge

MAX_FIELDS = 50
MAX_FIELD_BYTES = 64 * 1024


async def read_upload_form(request: Request, limit: int) -> tuple[UploadFile, dict[str, list[str]]]:
    """The uploaded file and the metadata fields; KbError (400) for anything else."""
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        raise KbError(_("send the document as multipart/form-data with a `file` field"))
    try:
        form = await request.form(max_files=1, max_fields=MAX_FIELDS,
                                  max_part_size=MAX_FIELD_BYTES)
    except RequestTooLarge as exc:
        raise TooLarge(_("file larger than {value}", value=size_text(limit))) from exc
    except Exception as exc:  # the parser's own errors on malformed or oversized forms
        raise KbError(_("cannot read the form: {reason}",
                        reason=getattr(exc, "detail", exc))) from exc
    upload = form.get("file")
    if not isinstance(upload, UploadFile):
        raise KbError(_("the form has no `file` field with a file in it"))
    metadata: dict[str, list[str]] = {}
    for name, value in form.multi_items():
        if name == "file":
            continue
        if not isinstance(value, str):
            raise KbError(_("{name}: only `file` may hold a file", name=name))
        metadata.setdefault(name, []).append(value)
    return upload, metadata
