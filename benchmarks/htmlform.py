"""HTML forms as a browser sees them, without Django: the parser of a page's forms and the visible form errors.

Shared by the gunicorn benchmarks (benchmarks/pengaduan.py, survei_intake.py, submissions.py) and by the Locust
load generator (benchmarks/locustfile_submissions.py), which runs in a process of its own under gevent and must
not import Django or the app.
"""

import html.parser
import re

# Answers for fill(): the first real option of a select or radio group; the submit button the user pressed.
FIRST = object()
CLICKED = object()


class FormParser(html.parser.HTMLParser):
    """The forms of a page: method, enctype and fields (inputs, selects with their options, textareas)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            self.forms.append({"method": a.get("method", "get").lower(), "enctype": a.get("enctype", ""), "fields": []})
        elif not self.forms:
            return
        elif tag == "input" and a.get("name"):
            self.forms[-1]["fields"].append(
                {
                    "tag": "input",
                    "type": a.get("type", "text").lower(),
                    "name": a["name"],
                    "value": a.get("value", ""),
                    "checked": "checked" in a,
                }
            )
        elif tag == "select" and a.get("name"):
            self._select = {"tag": "select", "name": a["name"], "options": [], "selected": None}
            self.forms[-1]["fields"].append(self._select)
        elif tag == "option" and self._select is not None:
            self._select["options"].append(a.get("value", ""))
            if "selected" in a:
                self._select["selected"] = a.get("value", "")
        elif tag == "textarea" and a.get("name"):
            self._textarea = {"tag": "textarea", "name": a["name"], "value": ""}
            self.forms[-1]["fields"].append(self._textarea)

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea["value"] += data


_ERRORS = re.compile(r'class="[^"]*(?:errorlist|error)[^"]*"[^>]*>(.*?)</', re.S)


def page_errors(page: str) -> str:
    found = [re.sub(r"<[^>]+>|\s+", " ", m).strip() for m in _ERRORS.findall(page)]
    return "; ".join(e for e in found if e)[:300] or "the form came back without a visible error"


def post_form(page: str, marker: str = "submission") -> dict:
    """The form a visitor fills on a page: the POST form carrying a field named `marker` (the one-time
    `submission` token of the public forms), else the POST form with the most fields (a page may also have the
    language switch or the sign-out button, other POST forms)."""
    parser = FormParser()
    parser.feed(page)
    posts = [f for f in parser.forms if f["method"] == "post"]
    for form in posts:
        if any(f["name"] == marker for f in form["fields"]):
            return form
    if not posts:
        raise ValueError("no POST form on the page")
    return max(posts, key=lambda f: len(f["fields"]))


def fill(form: dict, wanted: dict) -> dict[str, str]:
    """The POST body a browser sends for `form` after its user typed `wanted` (field name → value, FIRST for a
    select's or radio group's first real option, CLICKED for the submit button pressed): hidden fields as served
    (CSRF and one-time tokens), the browser's default for every field not in `wanted` (a select's selected or
    first option, a radio group's checked one or none, a checkbox as served, a text field as served — a honeypot
    stays empty), no file parts."""
    data: dict[str, str] = {}
    radios: dict[str, list[dict]] = {}
    for f in form["fields"]:
        name = f["name"]
        if f["tag"] == "select":
            options = f["options"]
            want = wanted.get(name)
            if want is FIRST:
                data[name] = next((o for o in options if o), "")
            elif want in options:
                data[name] = want
            else:  # the browser's default: the selected option, else the first
                data[name] = f["selected"] if f["selected"] is not None else (options[0] if options else "")
        elif f["tag"] == "textarea":
            data[name] = wanted.get(name, f["value"])
        elif f["type"] == "radio":
            radios.setdefault(name, []).append(f)
        elif f["type"] == "checkbox":
            if wanted.get(name) or (name not in wanted and f["checked"]):
                data[name] = f["value"] or "on"
        elif f["type"] in ("submit", "button", "reset", "image", "file"):
            continue
        elif f["type"] == "hidden":
            data[name] = f["value"]
        else:
            data[name] = wanted.get(name, f["value"])
    for name, group in radios.items():
        values = [r["value"] for r in group]
        want = wanted.get(name)
        if want is FIRST:
            data[name] = next((v for v in values if v), values[0])
        elif want in values:
            data[name] = want
        else:
            checked = [r["value"] for r in group if r["checked"]]
            if checked:
                data[name] = checked[0]
    return data | {name: "1" for name, value in wanted.items() if value is CLICKED}
