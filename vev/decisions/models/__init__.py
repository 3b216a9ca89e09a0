"""Decisions of an event, split by concept and re-exported here.

The written procedure (Rule 3.2) and proposed conclusions with the chair's objection call.
"""

from .conclusions import ConclusionTransition, Objection, ObjectionCall, ProposedConclusion
from .written_procedures import (
    LateWrittenReply,
    ReplyChoice,
    WrittenDeadlineChange,
    WrittenProcedure,
    WrittenProcedureAttachment,
    WrittenReply,
    WrittenReplyChange,
)

__all__ = [
    "ConclusionTransition",
    "LateWrittenReply",
    "Objection",
    "ObjectionCall",
    "ProposedConclusion",
    "ReplyChoice",
    "WrittenDeadlineChange",
    "WrittenProcedure",
    "WrittenProcedureAttachment",
    "WrittenReply",
    "WrittenReplyChange",
]
