"""Diagnostics: the one code registry, the Diagnostic value and its output formats."""

from .codes import CODES, Code, CodeInfo, Severity
from .report import Diagnostic, Reporter, has_errors, make_diagnostic, sort_key

__all__ = ["CODES", "Code", "CodeInfo", "Diagnostic", "Reporter", "Severity", "has_errors",
           "make_diagnostic", "sort_key"]
