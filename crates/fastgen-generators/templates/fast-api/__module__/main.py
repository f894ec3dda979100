"""The {{ class_name | py_string }} API: add your operations here.

Each route's Python function name becomes its OpenAPI operationId (``echo`` below),
which the infrastructure and client generators use as the operation's name.
"""

from pydantic import BaseModel

from .init import app, tracer


class EchoOutput(BaseModel):
    message: str


@app.get("/echo")
@tracer.capture_method
def echo(message: str) -> EchoOutput:
    """Return the message it was given."""
    return EchoOutput(message=message)
