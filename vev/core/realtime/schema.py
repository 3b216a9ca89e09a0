from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class BaseEvent(BaseModel):
    """A real-time event. Subclasses set ``type`` as a ``Literal["<feature>.<verb>"]``.

    ``extra="forbid"`` turns an undeclared field into an error at construction, so an event that
    drifts from its documented schema fails in tests instead of on a delegate's screen.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    type: str

    def to_wire(self) -> dict:
        return self.model_dump(mode="json")
