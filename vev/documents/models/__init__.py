"""Documents of an event and the acts around them, split by concept and re-exported here."""

from .consultation import ConsultationReply
from .contributions import Contribution
from .deadlines import Deadline, DeadlineExtension, DeadlineReminder
from .documents import (
    Document,
    DocumentFile,
    DocumentGroup,
    DocumentRevision,
    DocumentStatusChange,
    FileFormat,
)
from .feedback import Clarification, CommentDraft, SummaryComment
from .requests import DocumentRequest

__all__ = [
    "Clarification",
    "CommentDraft",
    "ConsultationReply",
    "Contribution",
    "Deadline",
    "DeadlineExtension",
    "DeadlineReminder",
    "Document",
    "DocumentFile",
    "DocumentGroup",
    "DocumentRequest",
    "DocumentRevision",
    "DocumentStatusChange",
    "FileFormat",
    "SummaryComment",
]
