"""The Diagnostic value and the Reporter that every stage makes diagnostics through."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from ..text import one_line
from .codes import Code, Severity


@dataclass(frozen=True)
class Diagnostic:
    """One problem found in one file, at one place, about one field."""

    path: str
    line: int
    col: int
    severity: Severity
    code: str
    field: str
    message: str

    def format(self) -> str:
        return (
            f"{self.path}:{self.line}:{self.col}: {self.severity.value}[{self.code}]: "
            f"{self.field}: {self.message}"
        )

    def as_dict(self) -> dict:
        d = asdict(self)
        d["severity"] = self.severity.value
        return d

    @property
    def title(self) -> str:
        return Code[self.code].title


def sort_key(d: Diagnostic) -> tuple:
    return (d.path, d.line, d.col, d.code, d.field)


def has_errors(diags: list[Diagnostic], strict: bool = False) -> bool:
    """Whether these diagnostics fail a run: any error, or with `strict` any warning too."""
    return any(strict or d.severity is Severity.ERROR for d in diags)


def make_diagnostic(path: str, line: int, col: int, code: Code, field: str, message: str,
                    hint: str | None = None, severity: Severity | None = None) -> Diagnostic:
    """The one factory of diagnostics. `hint` of None appends nothing; the empty string ""
    appends the code's own fix from the registry."""
    if not isinstance(code, Code):
        raise TypeError(f"not a registered diagnostic code: {code!r}")
    if hint is not None:
        message = f"{message}；提示：{hint or code.fix}"
    return Diagnostic(path, line, col, severity or code.severity, code.name,
                      one_line(field, 60) or "-", one_line(message))


class Reporter:
    """Collects diagnostics for one file; stages add to it and never stop early."""

    def __init__(self, path: str, line_offset: int = 0) -> None:
        self.path = path
        self.line_offset = line_offset
        self.items: list[Diagnostic] = []

    def add(self, code: Code, field: str, message: str, line: int, col: int = 1,
            severity: Severity | None = None, hint: str | None = None) -> None:
        self.items.append(make_diagnostic(self.path, line, col, code, field, message, hint,
                                          severity))

    def at_node(self, node, code: Code, field: str, message: str,
                severity: Severity | None = None, hint: str | None = None) -> None:
        """Report at a YAML node's position (node marks count from the front matter's start)."""
        self.add(code, field, message, self.line_of(node), node.start_mark.column + 1,
                 severity, hint)

    def line_of(self, node) -> int:
        """A YAML node's 1-based line in the file."""
        return node.start_mark.line + 1 + self.line_offset

    def quiet(self) -> Reporter:
        """A reporter for the same file whose findings are looked at, not reported."""
        return Reporter(self.path, self.line_offset)
