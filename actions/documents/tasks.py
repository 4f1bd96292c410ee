"""Background generation of large documents. Tasks take ids and are safe to run twice."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(
    name="documents.generate_document",
    autoretry_for=(OSError,),
    retry_backoff=True,
    retry_jitter=True,
    max_retries=3,
)
def generate_document(version_id: int) -> str:
    """Render one requested document version from its stored snapshot and e-mail the
    person who asked for it.

    Run twice (a retry, a redelivery, a second worker): the second run finds the version
    ready, or being generated, and does nothing; no second file, no second e-mail. A run
    that died mid-way is taken over after DOCUMENTS_STALE_GENERATION_SECONDS. If the
    version was deleted meanwhile it does nothing. The plan's data is not read again: the
    snapshot stored with the version is the document's content, so edits made after the
    request do not change it. Returns the version's status, or "gone".
    """
    version = services.generate(version_id)
    return version.status if version is not None else "gone"
