"""Account-level policies that other apps plug into (accounts does not import them).

Apps register predicates in their ``AppConfig.ready()``; ``council`` registers the rule
"every role that can act in a meeting must use a second factor".
"""

from __future__ import annotations

from collections.abc import Callable

from allauth.mfa.models import Authenticator

MFARequirement = Callable[[object], bool]
_mfa_requirements: list[MFARequirement] = []


def register_mfa_requirement(predicate: MFARequirement) -> None:
    if predicate not in _mfa_requirements:
        _mfa_requirements.append(predicate)


def requires_mfa(user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_staff or user.is_superuser:
        return True
    return any(predicate(user) for predicate in _mfa_requirements)


def has_second_factor(user) -> bool:
    return Authenticator.objects.filter(
        user=user, type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
    ).exists()
