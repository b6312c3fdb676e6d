"""A refused form comes back as typed, each problem beside its field and summed up above the form with a
link to it (the GOV.UK error-summary pattern) — across the redirect that follows every POST.

The view that refuses keeps what was typed and the problems in the session (``keep``); the page that shows
the form takes them once (``take``) and the templates mark the fields (``web/_error_summary.html``,
``cp_format.invalid`` and ``cp_format.problem``).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

#: how much of a typed field is kept across the redirect (a field's own limit is checked by its service)
KEPT_CHARS = 20_000
KEPT_FIELDS = 400  # a form has at most a few hundred; a posted body of thousands of names is not kept
SESSION_KEY = "cp_refused"


@dataclass
class Problem:
    """One reason a form was refused, and the field (its id on the page) it belongs to."""

    field: str
    message: str


@dataclass
class Refusal:
    """What the page shows after a refusal: the typed values by field name and the problems."""

    form: str
    typed: dict[str, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.problems)

    def by_field(self) -> dict[str, str]:
        """Each field's problems joined, for the message beside it."""
        out: dict[str, str] = {}
        for p in self.problems:
            out[p.field] = f"{out[p.field]}；{p.message}" if p.field in out else p.message
        return out

    def value(self, name: str, default: str = "") -> str:
        return self.typed.get(name, default)


def required(post, fields: dict[str, str | tuple[str, str]]) -> list[Problem]:
    """The server's own check of required fields (the browser's is only a help): ``fields`` maps a field's
    name to what it is called on the page, or to (its id on the page, what it is called) where they differ."""
    from django.utils.translation import gettext

    problems = []
    for name, called in fields.items():
        at, label = called if isinstance(called, tuple) else (name, called)
        if not post.get(name, "").strip():  # a label given in Chinese is said in the reader's language too
            problems.append(Problem(at, gettext("请填写%(what)s") % {"what": gettext(str(label))}))
    return problems


def keep(request, form: str, typed: dict[str, str], problems: list[Problem]) -> None:
    """Keep a refused form for the next page of this session."""
    request.session[SESSION_KEY] = {
        "form": form,
        "typed": {str(k)[:100]: str(v)[:KEPT_CHARS] for k, v in list(typed.items())[:KEPT_FIELDS]},
        "problems": [asdict(p) for p in problems],
    }


#: the id of the summary a refused page scrolls to (``web/_error_summary.html``)
SUMMARY_ID = "error-summary"


def refuse(request, form: str, typed: dict[str, str], problems: list[Problem], url: str):
    """Keep a refused form and go back to the page that shows it, at its summary (Post/Redirect/Get)."""
    from django.shortcuts import redirect

    keep(request, form, typed, problems)
    return redirect(f"{url}#{SUMMARY_ID}")


def take(request, *forms: str) -> Refusal:
    """The refusal kept for one of ``forms`` (a page may hold several), once; an empty one when there is none."""
    kept = request.session.get(SESSION_KEY)
    if not kept or kept.get("form") not in forms:
        return Refusal(forms[0])
    del request.session[SESSION_KEY]
    return Refusal(kept["form"], kept.get("typed", {}), [Problem(**p) for p in kept.get("problems", [])])


def problems_of(exc, default_field: str) -> list[Problem]:
    """A service's refusal as problems: beside the fields it names (a ``ValidationError`` raised with a dict
    of field → messages), else beside ``default_field``."""
    if hasattr(exc, "error_dict"):
        return [Problem(name, m) for name, errors in exc.message_dict.items() for m in errors]
    return [Problem(default_field, m) for m in exc.messages]


def parsed(post, problems: list[Problem], name: str, parse):
    """``parse(post[name])``, or None with the reason added to ``problems`` beside that field."""
    from django.core.exceptions import ValidationError

    from carbonpeak.core.numbers import NumberError

    try:
        return parse(post.get(name))
    except (NumberError, ValidationError) as exc:
        problems.extend(
            problems_of(exc, name) if isinstance(exc, ValidationError) else [Problem(name, str(exc))]
        )
        return None
