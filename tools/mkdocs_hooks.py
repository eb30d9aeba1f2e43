"""mkdocs hooks: generate the rule and question reference from the rule sets at build time.

A page holding the marker ``<!-- casework:rule-reference -->`` gets it replaced
by :func:`casework.report.ruleset_reference` rendered as Markdown, so the
reference is always the code's own account of itself.
"""

from __future__ import annotations

from typing import Any

from casework.report import Document, Section, render_markdown, ruleset_reference

MARKER = "<!-- casework:rule-reference -->"


def reference_markdown() -> str:
    """Every rule set's rules and parameters, as Markdown under the page's own title."""
    document = ruleset_reference().document
    sections = tuple(block for block in document.blocks if isinstance(block, Section))
    text = render_markdown(Document(document.title, sections))
    return text.split("\n", 1)[1].lstrip("\n")  # the page has its own title and introduction


def on_page_markdown(markdown: str, **_kwargs: Any) -> str:
    if MARKER in markdown:
        return markdown.replace(MARKER, reference_markdown())
    return markdown
