"""Reads that stop when the client goes away: a closed tab must not keep the database busy."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TypeVar

from fastapi import Request
from starlette.concurrency import run_in_threadpool

from ceasefire.store.query import Cancel

Result = TypeVar("Result")
POLL_SECONDS = 0.25  # how often a running read looks whether its client is still there


async def unless_disconnected(request: Request, work: Callable[[Cancel], Result]) -> Result:
    """Run ``work`` in a worker thread; if the client disconnects first, trip the read it is doing.

    Raises:
        QueryCancelled: the client left while ``work`` was reading.
    """
    cancel = Cancel()
    task = asyncio.ensure_future(run_in_threadpool(work, cancel))
    while not task.done():
        await asyncio.wait({task}, timeout=POLL_SECONDS)
        if not task.done() and await request.is_disconnected():
            cancel.cancel()
            break
    return await task
