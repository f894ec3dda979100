"""Type-safe streaming: Pydantic models as JSON Lines, documented for the client generators."""

from __future__ import annotations

from collections.abc import AsyncIterable, AsyncIterator, Iterable, Iterator
from typing import Any

from fastapi.responses import StreamingResponse
from pydantic import BaseModel


class JsonStreamingResponse(StreamingResponse):
    """Streams Pydantic models as JSON Lines (``application/jsonl``), one line per model.

    Accepts an async or a sync iterator; each line is sent as soon as it is produced.
    """

    media_type = "application/jsonl"

    def __init__(
        self,
        content: AsyncIterable[BaseModel] | Iterable[BaseModel],
        status_code: int = 200,
        headers: dict[str, str] | None = None,
    ) -> None:
        lines: AsyncIterable[bytes] | Iterable[bytes]
        lines = _async_lines(content) if isinstance(content, AsyncIterable) else _sync_lines(content)
        super().__init__(lines, status_code=status_code, headers=headers, media_type=self.media_type)

    @staticmethod
    def openapi_response(model: type[BaseModel], description: str) -> dict[str, Any]:
        """A ``responses`` entry documenting a stream of ``model`` as JSON Lines items
        (``itemSchema``); FastAPI registers ``model`` in ``components/schemas``."""
        return {
            "model": model,
            "description": description,
            "content": {
                JsonStreamingResponse.media_type: {
                    "itemSchema": {"$ref": f"#/components/schemas/{model.__name__}"},
                },
            },
        }


async def _async_lines(items: AsyncIterable[BaseModel]) -> AsyncIterator[bytes]:
    async for item in items:
        yield item.model_dump_json().encode() + b"\n"


def _sync_lines(items: Iterable[BaseModel]) -> Iterator[bytes]:
    for item in items:
        yield item.model_dump_json().encode() + b"\n"
