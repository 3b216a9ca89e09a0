"""The outcome rules of the written procedure: pure functions, no database.

The rule is a parameter of each procedure (``WrittenProcedure.Rule``), chosen by the
secretariat when it drafts the proposal; docs/procedures.md (“Written procedure (Rule 3.2)”)
gives the source of each rule and its edge cases. Only replies of States that are Council
Members of the event when the procedure closes are counted.

* ``silence`` — adopted unless at least one Council Member objects by the deadline. No reply at
  all is silence: adopted. Agree and abstain do not matter.
* ``majority_of_replies`` — adopted if more States agree than object; abstentions are not
  counted. A tie (including no agree and no object reply) is not a majority: not adopted.
* ``majority_of_members`` — adopted if the States that agree are more than half of the event's
  Council Members (25 of 48). Abstaining or not replying counts like not agreeing.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import StrEnum

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..models import WrittenProcedure


class Reason(StrEnum):
    NO_OBJECTION = "no_objection"  # silence: nobody objected (including nobody replied)
    OBJECTION = "objection"  # silence: at least one objection
    MAJORITY = "majority"  # majority of replies: more agree than object
    MINORITY = "minority"  # majority of replies: more object than agree
    TIE = "tie"  # majority of replies: as many agree as object (at least one each)
    NO_VOTES = "no_votes"  # majority of replies: no agree and no object reply at all
    MEMBERS_MAJORITY = "members_majority"  # majority of members reached
    MEMBERS_SHORT = "members_short"  # majority of members not reached


@dataclass(frozen=True)
class Tally:
    agree: int = 0
    object: int = 0
    abstain: int = 0
    members: int = 0  # Council Members of the event when the procedure closes

    @property
    def replied(self) -> int:
        return self.agree + self.object + self.abstain

    @property
    def no_reply(self) -> int:
        return max(0, self.members - self.replied)

    @property
    def members_needed(self) -> int:
        """Agree replies needed for more than half of the members."""
        return self.members // 2 + 1

    def as_dict(self) -> dict[str, int]:
        return {**asdict(self), "replied": self.replied, "no_reply": self.no_reply}

    @classmethod
    def from_dict(cls, data: dict) -> Tally:
        return cls(
            agree=int(data.get("agree", 0)),
            object=int(data.get("object", 0)),
            abstain=int(data.get("abstain", 0)),
            members=int(data.get("members", 0)),
        )


@dataclass(frozen=True)
class Outcome:
    result: str  # WrittenProcedure.Result
    reason: Reason


ADOPTED = WrittenProcedure.Result.ADOPTED
NOT_ADOPTED = WrittenProcedure.Result.NOT_ADOPTED


def decide(rule: str, tally: Tally) -> Outcome:
    """The result of a procedure with ``rule`` on the replies counted in ``tally``."""
    if rule == WrittenProcedure.Rule.SILENCE:
        if tally.object:
            return Outcome(NOT_ADOPTED, Reason.OBJECTION)
        return Outcome(ADOPTED, Reason.NO_OBJECTION)
    if rule == WrittenProcedure.Rule.MAJORITY_OF_REPLIES:
        if tally.agree == 0 and tally.object == 0:
            return Outcome(NOT_ADOPTED, Reason.NO_VOTES)
        if tally.agree > tally.object:
            return Outcome(ADOPTED, Reason.MAJORITY)
        if tally.agree == tally.object:
            return Outcome(NOT_ADOPTED, Reason.TIE)
        return Outcome(NOT_ADOPTED, Reason.MINORITY)
    if rule == WrittenProcedure.Rule.MAJORITY_OF_MEMBERS:
        if tally.members and tally.agree * 2 > tally.members:
            return Outcome(ADOPTED, Reason.MEMBERS_MAJORITY)
        return Outcome(NOT_ADOPTED, Reason.MEMBERS_SHORT)
    raise ValueError(f"unknown outcome rule {rule!r}")


def explain(reason: str, tally: Tally) -> str:
    """The result in words, for pages, notices and exports (in the active language)."""
    counts = {
        "agree": tally.agree,
        "object": tally.object,
        "abstain": tally.abstain,
        "members": tally.members,
        "needed": tally.members_needed,
        "no_reply": tally.no_reply,
    }
    if reason == Reason.NO_OBJECTION:
        return _("No Council Member objected by the deadline.")
    if reason == Reason.OBJECTION:
        return (
            ngettext(
                "%(object)s Council Member objected by the deadline.",
                "%(object)s Council Members objected by the deadline.",
                tally.object,
            )
            % counts
        )
    if reason == Reason.MAJORITY:
        return _("%(agree)s agreed and %(object)s objected (%(abstain)s abstained).") % counts
    if reason == Reason.MINORITY:
        return _("%(object)s objected and only %(agree)s agreed (%(abstain)s abstained).") % counts
    if reason == Reason.TIE:
        return (
            _(
                "Tie: %(agree)s agreed and %(object)s objected (%(abstain)s abstained); a tie is "
                "not a majority."
            )
            % counts
        )
    if reason == Reason.NO_VOTES:
        return (
            _(
                "No Council Member agreed or objected (%(abstain)s abstained, %(no_reply)s did "
                "not reply): there is no majority."
            )
            % counts
        )
    if reason == Reason.MEMBERS_MAJORITY:
        return (
            _(
                "%(agree)s of %(members)s Council Members agreed; %(needed)s were needed (more "
                "than half)."
            )
            % counts
        )
    if reason == Reason.MEMBERS_SHORT:
        return (
            _(
                "Only %(agree)s of %(members)s Council Members agreed; %(needed)s were needed "
                "(more than half)."
            )
            % counts
        )
    return ""
