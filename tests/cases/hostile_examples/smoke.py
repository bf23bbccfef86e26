"""The README's examples are Python that parses and runs, whatever the spec's example and
enum values hold: commas, quotes, brackets, newlines, backticks, infinities."""

import ast
import math
from pathlib import Path

import httpx

import hostile_examples

readme = (Path(hostile_examples.__file__).parent / "README.md").read_text(encoding="utf-8")
blocks, current, section = [], None, ""
for line in readme.splitlines():
    if current is None and line.startswith("## "):
        section = line[3:]
    elif current is None and line.strip() == "```python":
        current = []
    elif current is not None and line.startswith("```"):
        blocks.append((section, "\n".join(current) + "\n"))
        current = None
    elif current is not None:
        current.append(line)
assert current is None and len(blocks) >= 4, blocks
for _, code in blocks:
    ast.parse(code)

sent: list[httpx.Request] = []


def answer(request: httpx.Request) -> httpx.Response:
    sent.append(request)
    return httpx.Response(200, json={"name": "ok"})


original_init = httpx.Client.__init__


def with_mock_transport(self: httpx.Client, *args: object, **kwargs: object) -> None:
    kwargs["transport"] = httpx.MockTransport(answer)
    original_init(self, *args, **kwargs)  # type: ignore[arg-type]


httpx.Client.__init__ = with_mock_transport  # type: ignore[method-assign]
for section, code in blocks:
    if section == "Operations":
        exec(compile(code, "README.md", "exec"), {"__name__": "readme_example"})

get, post = sent
assert get.url.path == "/items/" + "a, b \"c\" 'd'\n\"\"\" e \\ {{ f }} `g`"
assert get.url.params["sort"] == "name, asc" and get.url.params["order"] == 'x"]'
assert math.isinf(float(get.url.params["limit"]))
assert get.url.params.get_list("tags") == ["a,b", 'c"d', "e\nf", "]"]
assert get.headers["X-Trace"] == "..."  # a documented value with a line break cannot be sent
assert post.url.path == "/items/a,b"
