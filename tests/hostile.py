"""Hostile input for every place members write text, and a check that it stayed inert.

Each payload carries the marker XSS; `assert_inert(html)` parses a whole page and fails
when the marker reaches anything a browser would run: a script or style element, an
event-handler attribute, a javascript:/data: URL, or an embedded object/SVG/iframe.
"""

from __future__ import annotations

from html.parser import HTMLParser

MARKER = "XSS"

PAYLOADS = [
    "<script>alert('XSS')</script>",
    "<img src=x onerror=alert('XSS')>",
    "<svg onload=alert('XSS')><circle r=1 /></svg>",
    "<svg><script>alert('XSS')</script></svg>",
    "<iframe src=\"javascript:alert('XSS')\"></iframe>",
    "[klik hier](javascript:alert('XSS'))",
    "[klik](JaVaScRiPt:alert('XSS'))",
    "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgnWFNTJyk8L3NjcmlwdD4=?XSS)",
    "![XSS](javascript:alert('XSS'))",
    "<a href=\"javascript:alert('XSS')\">link</a>",
    "<div style=\"background:url(javascript:alert('XSS'))\">XSS</div>",
    "<style>body{background:red}</style>XSS",
    "<details open ontoggle=alert('XSS')>",
    "\"><script>alert('XSS')</script>",
    "'><img src=x onerror=alert('XSS')>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert('XSS')>",
    "[a](<javascript:alert('XSS')>)",
    "<<script>script>alert('XSS')<</script>/script>",
    "**bold <script>alert('XSS')</script>**",
    "```\n</code><script>alert('XSS')</script>\n```",
    "<object data=\"javascript:alert('XSS')\"></object>",
    "<form action=\"javascript:alert('XSS')\"><button>XSS</button></form>",
    "[x](vbscript:msgbox('XSS'))",
    "<a href='&#106;avascript:alert(\"XSS\")'>x</a>",
    "{{ XSS }}{% XSS %}",
]

DANGEROUS_ELEMENTS = {"script", "style", "iframe", "object", "embed", "svg", "math", "form"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "xlink:href", "srcdoc"}
RUNNABLE_SCHEMES = ("javascript:", "data:", "vbscript:")


class _Inspector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.open_dangerous: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in DANGEROUS_ELEMENTS or tag == "textarea":
            # A textarea's content is text to a browser (a form keeps what was typed).
            self.open_dangerous.append(tag)
        for name, value in attrs:
            value = value or ""
            if MARKER not in value:
                continue
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=…{MARKER}…>")
            squashed = "".join(value.split()).lower()
            if name in URL_ATTRIBUTES and squashed.startswith(
                ("javascript:", "data:", "vbscript:")
            ):
                self.problems.append(f"<{tag} {name}={value!r}>")
            if name == "style":
                self.problems.append(f"<{tag} style={value!r}>")
            if tag in DANGEROUS_ELEMENTS:
                self.problems.append(f"<{tag} {name}={value!r}>")

    def handle_endtag(self, tag):
        if self.open_dangerous and self.open_dangerous[-1] == tag:
            self.open_dangerous.pop()

    def handle_data(self, data):
        if MARKER in data and self.open_dangerous and self.open_dangerous[-1] != "textarea":
            self.problems.append(f"{MARKER} inside <{self.open_dangerous[-1]}>")


def problems_in(html: str) -> list[str]:
    inspector = _Inspector()
    inspector.feed(html)
    inspector.close()
    return inspector.problems


def assert_inert(html: str) -> None:
    problems = problems_in(html)
    assert not problems, "\n".join(problems)
