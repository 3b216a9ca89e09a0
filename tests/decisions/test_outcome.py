"""The outcome rules (services.outcome): every rule, ties, no replies, abstentions."""

import pytest

from vev.decisions.services.outcome import Reason, Tally, decide, explain

A, N = "adopted", "not_adopted"


@pytest.mark.parametrize(
    ("rule", "tally", "result", "reason"),
    [
        # silence: one objection is enough to stop it; silence (no reply) adopts
        ("silence", Tally(members=48), A, Reason.NO_OBJECTION),
        ("silence", Tally(agree=47, object=1, members=48), N, Reason.OBJECTION),
        ("silence", Tally(abstain=10, members=48), A, Reason.NO_OBJECTION),
        ("silence", Tally(agree=1, members=48), A, Reason.NO_OBJECTION),
        # majority of replies: abstentions are not counted; a tie is no majority
        (
            "majority_of_replies",
            Tally(agree=3, object=2, abstain=20, members=48),
            A,
            Reason.MAJORITY,
        ),
        ("majority_of_replies", Tally(agree=2, object=3, members=48), N, Reason.MINORITY),
        ("majority_of_replies", Tally(agree=4, object=4, abstain=1, members=48), N, Reason.TIE),
        ("majority_of_replies", Tally(members=48), N, Reason.NO_VOTES),
        ("majority_of_replies", Tally(abstain=5, members=48), N, Reason.NO_VOTES),
        ("majority_of_replies", Tally(agree=1, members=48), A, Reason.MAJORITY),
        # majority of members: more than half of the event's Council Members agree
        ("majority_of_members", Tally(agree=25, object=0, members=48), A, Reason.MEMBERS_MAJORITY),
        ("majority_of_members", Tally(agree=24, object=0, members=48), N, Reason.MEMBERS_SHORT),
        ("majority_of_members", Tally(agree=2, object=0, members=3), A, Reason.MEMBERS_MAJORITY),
        ("majority_of_members", Tally(agree=1, abstain=2, members=3), N, Reason.MEMBERS_SHORT),
        ("majority_of_members", Tally(members=48), N, Reason.MEMBERS_SHORT),
        ("majority_of_members", Tally(members=0), N, Reason.MEMBERS_SHORT),
    ],
)
def test_rules(rule, tally, result, reason):
    outcome = decide(rule, tally)
    assert (outcome.result, outcome.reason) == (result, reason)
    assert explain(outcome.reason, tally)  # every reason has words


def test_counts_and_needed_majority():
    tally = Tally(agree=20, object=3, abstain=5, members=48)
    assert (tally.replied, tally.no_reply, tally.members_needed) == (28, 20, 25)
    assert Tally(members=3).members_needed == 2
    assert Tally.from_dict(tally.as_dict()) == tally
    assert "Only 20 of 48 Council Members agreed; 25 were needed" in explain(
        Reason.MEMBERS_SHORT, tally
    )
    assert "Tie: 4 agreed and 4 objected" in explain(Reason.TIE, Tally(agree=4, object=4))


def test_unknown_rule_is_an_error():
    with pytest.raises(ValueError, match="unknown outcome rule"):
        decide("unanimity", Tally())
