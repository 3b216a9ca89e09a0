"""A command payload that failed validation, told in words a delegate understands.

Pydantic's own messages ("String should have at most 300 characters") are English only and
speak of types. :func:`validation_message` maps the first error to a translated sentence by
its kind, reusing Django's form messages (translated in every language of the site:
"Ensure this value has at most 300 characters (it has 412).") where one fits, and names the
field by the ``title`` its payload model gives it (``Field(title=gettext_lazy("Reason"))``),
so the message reads "Reason: This field is required." in the participant's language. Fields
without a title are named as the protocol spells them: only a client bug sends those wrong.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from pydantic import BaseModel, ValidationError


def _field(model: type[BaseModel] | None, loc: tuple) -> tuple[str | None, Any]:
    """The field's name and its ``FieldInfo`` (following nested models), for a location."""
    name, info = None, None
    for part in loc:
        if not isinstance(part, str):
            continue  # an index into a list: the list's field names the problem
        fields = getattr(model, "model_fields", {}) if model is not None else {}
        if part not in fields:
            return part, None
        name, info = part, fields[part]
        annotation = info.annotation
        nested = isinstance(annotation, type) and issubclass(annotation, BaseModel)
        model = annotation if nested else None
    return name, info


def _label(name: str | None, info) -> str | None:
    if name is None:
        return None
    title = getattr(info, "title", None)
    return str(title) if title else f"“{name}”"


def _problem(kind: str, ctx: dict, value: Any, name: str | None) -> str:
    if kind == "missing":
        return _("This field is required.")
    if kind == "string_too_long":
        limit = ctx.get("max_length", 0)
        return ngettext(
            "Ensure this value has at most %(limit_value)d character (it has %(show_value)d).",
            "Ensure this value has at most %(limit_value)d characters (it has %(show_value)d).",
            limit,
        ) % {"limit_value": limit, "show_value": len(value) if isinstance(value, str) else 0}
    if kind == "string_too_short":
        limit = ctx.get("min_length", 0)
        if limit <= 1:
            return _("This field is required.")
        return ngettext(
            "Ensure this value has at least %(limit_value)d character (it has %(show_value)d).",
            "Ensure this value has at least %(limit_value)d characters (it has %(show_value)d).",
            limit,
        ) % {"limit_value": limit, "show_value": len(value) if isinstance(value, str) else 0}
    if kind == "too_long":
        limit = ctx.get("max_length", 0)
        return ngettext(
            "Choose at most %(limit)d item.", "Choose at most %(limit)d items.", limit
        ) % {"limit": limit}
    if kind == "too_short":
        limit = ctx.get("min_length", 0)
        return ngettext(
            "Choose at least %(limit)d item.", "Choose at least %(limit)d items.", limit
        ) % {"limit": limit}
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return _("Enter a whole number.")
    if kind in ("float_parsing", "float_type", "decimal_parsing", "decimal_type"):
        return _("Enter a number.")
    if kind == "greater_than_equal":
        return _("Ensure this value is greater than or equal to %(limit_value)s.") % {
            "limit_value": ctx.get("ge")
        }
    if kind == "less_than_equal":
        return _("Ensure this value is less than or equal to %(limit_value)s.") % {
            "limit_value": ctx.get("le")
        }
    if kind == "greater_than":
        return _("Ensure this value is greater than %(limit_value)s.") % {
            "limit_value": ctx.get("gt")
        }
    if kind == "less_than":
        return _("Ensure this value is less than %(limit_value)s.") % {"limit_value": ctx.get("lt")}
    if kind in ("literal_error", "enum"):
        return _("Select a valid choice. %(value)s is not one of the available choices.") % {
            "value": value
        }
    if kind in ("bool_parsing", "bool_type"):
        return _("“%(value)s” value must be either True or False.") % {"value": value}
    if kind == "list_type":
        return _("Enter a list of values.")
    if kind == "extra_forbidden":
        return _("This command does not take “%(field)s”.") % {"field": name}
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return _("The payload of a command is a JSON object.")
    return _("Enter a valid value.")


def validation_message(error: ValidationError, model: type[BaseModel]) -> str:
    """The first problem of ``error`` as a translated sentence, led by the field's name."""
    first = error.errors()[0]
    kind = first.get("type", "")
    name, info = _field(model, tuple(first.get("loc") or ()))
    problem = _problem(kind, first.get("ctx") or {}, first.get("input"), name)
    label = None if kind == "extra_forbidden" else _label(name, info)
    if label is None:
        return problem
    return _("%(field)s: %(problem)s") % {"field": label, "problem": problem}
