"""Reads that stop when the client goes away: a closed tab must not keep the database busy."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from typing import TypeVar

from fastapi import Request
from starlette.concurrency import run_in_threadpool

from ceasefire.store.query import Cancel

Result = TypeVar("Result")


async def unless_disconnected(request: Request, work: Callable[[Cancel], Result]) -> Result:
    """Run ``work`` in a worker thread; if the client disconnects first, trip the read it is doing.

    Raises:
        QueryCancelled: the client left while ``work`` was reading.
    """
    cancel = Cancel()
    # Waiting on receive() rather than polling request.is_disconnected(): behind a
    # BaseHTTPMiddleware (our security headers) a poll never sees the disconnect.
    watcher = asyncio.ensure_future(_trip_on_disconnect(request, cancel))
    try:
        return await run_in_threadpool(work, cancel)
    finally:
        watcher.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await watcher


async def _trip_on_disconnect(request: Request, cancel: Cancel) -> None:
    while (await request.receive())["type"] != "http.disconnect":
        pass  # the (empty) body of a GET
    cancel.cancel()
