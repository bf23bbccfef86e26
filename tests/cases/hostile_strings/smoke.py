"""Strings from the spec survive exactly as values, and docstrings hold them."""

import inspect

import hostile_strings
from hostile_strings import models

fields = models.Message.model_fields
assert fields["text"].default == "default \"quoted\" 'single' \\ back\nslash {{ x }} \t tab"
assert fields["shout"].default == '"""'
assert fields["control"].default == "\x00\x01\x1b[31m\x7f"
assert fields["long"].default == "LONGTEXT" * 24
assert [tone.value for tone in models.Tone] == [
    "plain", 'with "quotes"', "with 'single'", "back\\slash", "new\nline",
    "{{ jinja }}", "{% tag %}", '"""', "",
]
assert models.Tone("new\nline") is models.Tone.NEW_LINE
assert hostile_strings.API_VERSION == "1.0\"'"
doc = inspect.getdoc(hostile_strings.Client.say) or ""
assert 'Summary with """triple""" quotes, a backslash \\ and {{ jinja }}' in doc, doc
assert "\"\"\"; import os; os.system('echo pwned') #" in doc, doc
assert "{% raw %}" in doc and "\x07" in doc and "\u2028" in doc, doc
message = models.Message(text='"""', tone=models.Tone("{% tag %}"))
assert message.model_dump(mode="json", exclude_unset=True) == {"text": '"""', "tone": "{% tag %}"}
