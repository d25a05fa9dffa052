"""Templates: one sandboxed jinja2 environment factory and one translator of template failures.

Prompts (``prompts/*.j2``) and pages (``templates/site/*.j2``) are both workspace templates
over packaged defaults. A template is the workspace owner's code, and a typo in one must not
hang or crash a run, so every render is limited:

    time        a loop of loops is stopped after ``TIME_LIMIT_S``
    depth       a macro calling itself, a template including itself: ``MAX_DEPTH`` frames
    size        the output, and any string or list built with ``*``, ``+`` or a filter
    numbers     ``**`` and numeric arguments to calls and filters; ``range`` has the
                sandbox's own limit

and every failure, whatever raised it, becomes one ``TemplateError`` line naming the file.
"""

from __future__ import annotations

import functools
import os
import re
import stat
import sys
import time
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from types import FrameType, TracebackType
from typing import Any

import jinja2
from jinja2.exceptions import SecurityError
from jinja2.sandbox import MAX_RANGE, SandboxedEnvironment

from panelist.errors import TemplateError

TIME_LIMIT_S = 2.0
MAX_DEPTH = 64  # template frames (macros, includes, blocks) nested in one another
MAX_OUTPUT_CHARS = 2_000_000  # a published page is ~50 kB, a prompt ~10 kB
MAX_WIDTH = 100_000  # the widest padding a string method or filter may be asked for
MAX_EXPONENT = 1_000
MAX_INT_BITS = 4_096
_WIDE_FORMAT = re.compile(r"%[-+ #0]*\d{6,}|\{[^}]*:[^}]*\d{6,}[^}]*\}")  # '%1000000s'
_PADDING_METHODS = {"center", "ljust", "rjust", "zfill", "expandtabs", "format"}
_PADDING_FILTERS = {"center", "indent", "wordwrap", "truncate", "format"}


class _LimitExceeded(Exception):
    """Raised inside a render when it passes a limit; always translated."""


def _checked(value: Any) -> Any:
    """A value a template built, if it is within the limits."""
    if isinstance(value, (str, bytes, list, tuple)) and len(value) > MAX_OUTPUT_CHARS:
        raise _LimitExceeded(f"builds a value of {len(value):,} items (the limit is "
                             f"{MAX_OUTPUT_CHARS:,})")
    if isinstance(value, int) and value.bit_length() > MAX_INT_BITS:
        raise _LimitExceeded(f"builds a number of over {MAX_INT_BITS:,} bits")
    return value


def _check_widths(args: Iterable[Any]) -> None:
    """Padding and format widths: ``'x'.ljust(10**10)`` would fill memory before any check."""
    for arg in args:
        if isinstance(arg, int) and not isinstance(arg, bool) and abs(arg) > MAX_WIDTH:
            raise _LimitExceeded(f"asks for a width of {arg:,} (the limit is {MAX_WIDTH:,})")
        if isinstance(arg, str) and _WIDE_FORMAT.search(arg):
            raise _LimitExceeded(f"formats a field wider than {MAX_WIDTH:,}")


def _length(value: Any) -> int | None:
    return len(value) if isinstance(value, (str, bytes, list, tuple)) else None


class LimitedSandbox(SandboxedEnvironment):
    """jinja2's sandbox, refusing operators and calls that would build huge values."""

    intercepted_binops = frozenset({"*", "**", "+", "%"})

    def call_binop(self, context: jinja2.runtime.Context, operator: str, left: Any,
                   right: Any) -> Any:
        sizes = [size for size in (_length(left), _length(right)) if size is not None]
        if operator == "**" and isinstance(right, int) and abs(right) > MAX_EXPONENT:
            raise _LimitExceeded(f"raises to the power {right:,} (the limit is {MAX_EXPONENT:,})")
        if operator == "*" and len(sizes) == 1:
            times = right if _length(left) is not None else left
            if isinstance(times, int) and sizes[0] * times > MAX_OUTPUT_CHARS:
                raise _LimitExceeded(f"builds a value of {sizes[0] * times:,} items (the limit "
                                     f"is {MAX_OUTPUT_CHARS:,})")
        if operator == "+" and sum(sizes) > MAX_OUTPUT_CHARS:
            raise _LimitExceeded(f"builds a value of {sum(sizes):,} items (the limit is "
                                 f"{MAX_OUTPUT_CHARS:,})")
        if operator == "%" and isinstance(left, str):
            _check_widths([left])
        return _checked(super().call_binop(context, operator, left, right))

    def call(__self, __context: jinja2.runtime.Context, __obj: Any,
             *args: Any, **kwargs: Any) -> Any:
        if isinstance(getattr(__obj, "__self__", None), str) and \
                getattr(__obj, "__name__", "") in _PADDING_METHODS:
            _check_widths([__obj.__self__, *args, *kwargs.values()])
        return _checked(super().call(__context, __obj, *args, **kwargs))


def _limited_filter(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(function)  # keeps jinja's pass_context / pass_environment marks
    def limited(*args: Any, **kwargs: Any) -> Any:
        if name in _PADDING_FILTERS:
            _check_widths([*args, *kwargs.values()])
        return _checked(function(*args, **kwargs))

    return limited


class _RegularFileLoader(jinja2.FileSystemLoader):
    """Reads only regular files, and says which file is not UTF-8."""

    def get_source(self, environment: jinja2.Environment, template: str
                   ) -> tuple[str, str, Callable[[], bool]]:
        for folder in self.searchpath:
            path = os.path.join(folder, *template.split("/"))
            try:
                mode = os.stat(path).st_mode
            except OSError:
                continue
            if not stat.S_ISREG(mode):
                raise _TemplateFileError(path, "is not a regular file",
                                         "make it a text file, or delete it")
            try:
                return super().get_source(environment, template)
            except UnicodeDecodeError as error:
                raise _TemplateFileError(path, f"not UTF-8 (byte {error.start})",
                                         "re-save the file as UTF-8") from None
        raise jinja2.TemplateNotFound(template)


class _TemplateFileError(Exception):
    def __init__(self, path: str, problem: str, fix: str) -> None:
        super().__init__(problem)
        self.path, self.problem, self.fix = path, problem, fix


class Templates:
    """Templates in ``override`` (a workspace folder) over those in ``packaged``.

    ``shown`` turns a template file's path into the name an error shows (workspace-relative).
    """

    def __init__(self, override: Path, packaged: Path, *, shown: Callable[[Path], str],
                 html: bool = False, filters: Mapping[str, Callable[..., Any]] | None = None
                 ) -> None:
        self.override, self.packaged, self.shown = override, packaged, shown
        self.env = LimitedSandbox(
            loader=_RegularFileLoader([str(override), str(packaged)]),
            undefined=jinja2.StrictUndefined, autoescape=html, trim_blocks=html,
            lstrip_blocks=html, keep_trailing_newline=False)
        self.env.filters.update(filters or {})
        for name, function in list(self.env.filters.items()):
            self.env.filters[name] = _limited_filter(name, function)

    def path_of(self, name: str) -> str:
        """The file ``name`` renders from, as errors show it."""
        local = self.override / name
        if local.is_file():
            return self.shown(local)
        return f"(packaged) {self.shown(self.packaged / name)}"

    def render(self, name: str, context: Mapping[str, Any]) -> str:
        """The template rendered, or one ``TemplateError`` line naming the file."""
        try:
            return _render_limited(self.env, name, dict(context))
        except Exception as error:  # whatever a template raises, it is the template's failure
            raise self._translate(error, name, context) from None

    def _translate(self, error: BaseException, name: str, context: Mapping[str, Any]
                   ) -> TemplateError:
        where = self._where(error, name)
        variables = ", ".join(sorted(context))
        if isinstance(error, _TemplateFileError):
            return TemplateError(f"{self._show(error.path)}: {error.problem} ({error.fix})")
        if isinstance(error, jinja2.TemplateSyntaxError):
            shown = self._show(error.filename) if error.filename else where
            return TemplateError(f"{shown}:{error.lineno}: template syntax error: "
                                 f"{error.message} (fix the template or delete it to use the "
                                 f"default)")
        if isinstance(error, jinja2.TemplateNotFound):
            return TemplateError(f"{where}: template {error.name} not found in "
                                 f"{self.shown(self.override)}/ or the packaged defaults "
                                 f"(restore it with 'panelist init' or delete the override)")
        if isinstance(error, jinja2.UndefinedError):
            return TemplateError(f"{where}: undefined variable: {error.message} (available: "
                                 f"{variables})")
        if isinstance(error, SecurityError):
            return TemplateError(f"{where}: unsafe template: {error} (templates may only use "
                                 f"the variables {variables})")
        if isinstance(error, RecursionError):
            error = _LimitExceeded("recurses too deeply (a macro calling itself, or a template "
                                   "including itself)")
        if isinstance(error, MemoryError):
            error = _LimitExceeded("builds a value too large for memory")
        if isinstance(error, OverflowError) and "MAX_RANGE" in str(error):
            error = _LimitExceeded(f"asks for a range over the sandbox's limit of "
                                   f"{MAX_RANGE:,} items")
        if isinstance(error, _LimitExceeded):
            return TemplateError(f"{where}: template stopped: it {error} (fix the template or "
                                 f"delete it to use the default)")
        return TemplateError(f"{where}: template failed: {type(error).__name__}: {error} "
                             f"(fix the template or delete it to use the default)")

    def _show(self, filename: str) -> str:
        path = Path(filename)
        shown = self.shown(path)
        packaged = self.packaged.resolve()
        return f"(packaged) {shown}" if path.resolve().is_relative_to(packaged) else shown

    def _where(self, error: BaseException, name: str) -> str:
        """The innermost template line the error passed through, else the template asked for."""
        found = _innermost_template_line(error.__traceback__, (self.override, self.packaged))
        if found is None:
            return self.path_of(name)
        filename, line = found
        return f"{self._show(filename)}:{line}"


def _innermost_template_line(traceback: TracebackType | None, folders: Iterable[Path]
                             ) -> tuple[str, int] | None:
    roots = [str(folder.resolve()) + os.sep for folder in folders]
    found = None
    while traceback is not None:
        filename = traceback.tb_frame.f_code.co_filename
        if any(os.path.realpath(filename).startswith(root) for root in roots):
            found = (filename, traceback.tb_lineno)
        traceback = traceback.tb_next
    return found


def _render_limited(env: jinja2.Environment, name: str, context: dict[str, Any]) -> str:
    """Render under the time, depth and output limits (a trace on template frames only)."""
    template = env.get_template(name)
    deadline = time.monotonic() + TIME_LIMIT_S

    def on_line(frame: FrameType, event: str, arg: Any) -> Any:
        if event == "line" and time.monotonic() > deadline:
            raise _LimitExceeded(f"ran for over {TIME_LIMIT_S:g} s (a loop of loops?)")
        return on_line

    def on_call(frame: FrameType, event: str, arg: Any) -> Any:
        if event != "call" or frame.f_globals.get("environment") is not env:
            return None
        depth, outer = 0, frame.f_back
        while outer is not None:
            depth += outer.f_globals.get("environment") is env
            outer = outer.f_back
        if depth > MAX_DEPTH:
            raise _LimitExceeded(f"nests more than {MAX_DEPTH} macro calls or includes (a "
                                 f"macro calling itself, or a template including itself?)")
        return on_line

    previous = sys.gettrace()
    sys.settrace(on_call)
    try:
        parts: list[str] = []
        size = 0
        for chunk in template.generate(context):
            size += len(chunk)
            if size > MAX_OUTPUT_CHARS:
                raise _LimitExceeded(f"writes over {MAX_OUTPUT_CHARS:,} characters")
            parts.append(chunk)
        return "".join(parts)
    finally:
        sys.settrace(previous)
