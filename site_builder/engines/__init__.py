"""Engines at the edge: MkDocs renders the pages, Pagefind indexes them."""


class EngineFailed(Exception):
    """An expected failure of an engine (strict-mode warnings, a name clash, the search index):
    its message is for editors. Anything else an engine raises is a bug and keeps its traceback."""
