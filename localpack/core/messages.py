"""Messages that another language can say too.

A `Msg` is the English text the CLI prints (it *is* a `str`), and it keeps the template and values it was
made from. `localpack ui` looks the template up in its catalogue and formats the translation with the same
values (`Msg.say`); everything else just prints the English. Values that are themselves `Msg`s (a
"did you mean" suffix, a rule's text inside "item 'x' …") are translated too.

Templates use `str.format` fields; a literal brace is written `{{` or `}}`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


class Msg(str):
    template: str
    params: dict[str, Any]

    def __new__(cls, template: str, **params: Any) -> Msg:
        self = super().__new__(cls, template.format(**params))
        self.template = template
        self.params = params
        return self

    def say(self, catalogue: Mapping[str, str]) -> str:
        """This message in the catalogue's language (the English where the catalogue has no entry)."""
        text = catalogue.get(self.template) or self.template
        return text.format(**{k: say(v, catalogue) for k, v in self.params.items()})

    def __reduce__(self) -> Any:  # pickling keeps the template
        return (_rebuild, (self.template, self.params))


def _rebuild(template: str, params: dict[str, Any]) -> Msg:
    return Msg(template, **params)


def say(text: Any, catalogue: Mapping[str, str]) -> Any:
    """`text` in the catalogue's language when it is a `Msg`; anything else unchanged."""
    return text.say(catalogue) if isinstance(text, Msg) else text
