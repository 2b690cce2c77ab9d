"""Human texts of the domain: English, marked for translation, translated at the edge.

`domain/` and `services.py` import no Django, so they cannot translate. They mark each message
with N_() instead: `manage.py makemessages` collects N_'s first argument as a msgid (the
project's makemessages adds the keyword), and the edge (bff/errors.py, the admin) renders the
text in the request's language with `render()`. A Text is a str holding the English message, so
logs, exceptions and tests read it as before."""

from collections.abc import Callable


class Text(str):
    """The English message, with the template it was made from and the values it filled in."""

    template: str
    values: dict

    def __new__(cls, template: str, /, **values: object) -> "Text":
        text = super().__new__(cls, template.format(**values) if values else template)
        text.template = template
        text.values = values
        return text


def N_(template: str, /, **values: object) -> Text:
    """Mark `template` for translation; `{name}` fields are filled from `values`, and a value
    that is a Text itself is translated too."""
    return Text(template, **values)


def render(text: object, translate: Callable[[str], str]) -> str:
    """`text` in the language `translate` (a gettext) speaks; anything else than a Text as is."""
    if not isinstance(text, Text):
        return str(text)
    values = {name: render(value, translate) for name, value in text.values.items()}
    return translate(text.template).format(**values) if values else translate(text.template)
