"""Which dispatcher executes queued runs: the in-process one (embedded default) or
Celery workers (hosted, when REDIS_URL is set). Callers say what happened; this
module knows whom to tell."""

from __future__ import annotations

from pipeline.settings import settings


def hosted() -> bool:
    return bool(settings.redis_url)


def runs_queued(run_ids: list[int]) -> None:
    """New or re-queued runs: send Celery tasks, or wake the local dispatcher."""
    if not run_ids:
        return
    if hosted():
        from pipeline.runs.celery_app import dispatch_celery

        dispatch_celery(run_ids)
        return
    _wake_local()


def cancel_requested() -> None:
    """Celery workers poll the store's cancel flag; the local dispatcher can be woken now."""
    if not hosted():
        _wake_local()


def _wake_local() -> None:
    from pipeline.runs import local

    if local.dispatcher is not None:
        local.dispatcher.wake()


async def run_forever() -> None:
    """The backend's lifespan task: the local dispatcher, or (hosted) the lease reaper."""
    if hosted():
        from pipeline.runs.celery_app import run_reaper_forever

        await run_reaper_forever()
        return
    from pipeline.runs.local import get_dispatcher

    await get_dispatcher().run_forever()
