"""Routes written the way the README shows, mounted under /examples for the tests.

They exercise what ``init.py`` promises (logging, metrics, tracing, errors, streaming)
without adding anything to your API outside the tests.
"""

import asyncio
import threading
from collections.abc import AsyncIterator, Iterator

from aws_lambda_powertools.metrics import MetricUnit
from fastapi import APIRouter, HTTPException
from pydantic import BaseModel

from {{ module }}.init import (
    JsonStreamingResponse,
    app,
    logger,
    metrics,
    tracer,
)

router = APIRouter(prefix="/examples")


class Item(BaseModel):
    name: str


class Chunk(BaseModel):
    message: str


@router.get("/items/{item_id}")
@tracer.capture_method
def get_item(item_id: int) -> Item:
    logger.info("Fetching item", extra={"item_id": item_id})
    metrics.add_metric(name="ItemViewed", unit=MetricUnit.Count, value=1)
    if item_id < 0:
        raise HTTPException(status_code=400, detail="Item ID must be positive")
    return Item(name=f"item {item_id}")


@router.post("/items")
@tracer.capture_method
async def create_item(item: Item) -> Item:
    return item


@router.get("/boom")
def boom() -> Item:
    raise RuntimeError("secret connection string")


@router.get("/traced")
@tracer.capture_method
def traced() -> Item:
    with tracer.provider.in_subsegment("fetch-item-details"):
        return Item(name="sync")


@router.get("/traced-async")
@tracer.capture_method
async def traced_async() -> Item:
    async with tracer.provider.in_subsegment_async("fetch-item-details-async"):
        return Item(name="async")


# Streams: each pauses after its first chunk until the test releases it, so a test can
# show that the first line reached the client before the last one was produced.
release_async: asyncio.Event | None = None
release_sync = threading.Event()
produced: list[str] = []


async def async_chunks() -> AsyncIterator[Chunk]:
    yield Chunk(message="first")
    if release_async is not None:
        await release_async.wait()
    produced.append("last")
    yield Chunk(message="last")


def sync_chunks() -> Iterator[Chunk]:
    yield Chunk(message="first")
    release_sync.wait(timeout=5)
    produced.append("last")
    yield Chunk(message="last")


async def failing_chunks() -> AsyncIterator[Chunk]:
    yield Chunk(message="first")
    raise RuntimeError("stream broke")


@router.post(
    "/stream",
    response_class=JsonStreamingResponse,
    responses={200: JsonStreamingResponse.openapi_response(Chunk, "Stream of chunks")},
)
async def stream_chunks() -> JsonStreamingResponse:
    return JsonStreamingResponse(async_chunks())


@router.get("/stream-sync", response_class=JsonStreamingResponse, include_in_schema=False)
def stream_sync_chunks() -> JsonStreamingResponse:
    return JsonStreamingResponse(sync_chunks())


@router.get("/stream-error", response_class=JsonStreamingResponse, include_in_schema=False)
async def stream_failing_chunks() -> JsonStreamingResponse:
    return JsonStreamingResponse(failing_chunks())


app.include_router(router)
