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
    ready, or claimed by a live run, and does nothing; no second file, no second e-mail.
    A run that died mid-way leaves its claim, which expires after
    DOCUMENTS_STALE_GENERATION_SECONDS; the sweep (below) then hands the version out
    again and this task takes it over (core.work_queue's claim rule). If the
    version was deleted meanwhile it does nothing. The plan's data is not read again: the
    snapshot stored with the version is the document's content, so edits made after the
    request do not change it. Returns the version's status, or "gone".
    """
    version = services.generate(version_id)
    return version.status if version is not None else "gone"


@shared_task(name="documents.sweep")
def sweep_documents() -> int:
    """Every minute: hand generations whose worker died (or whose broker was down) to a
    worker again. Two sweeps at once publish each version once (conditional update)."""
    return services.sweep()
