# observe.py — what the probe sees of asyncio: sections, tasks, steps
#
# Copyright 2026 The Tasklanes authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Every hook here wraps a public or long-stable asyncio entry point and
# calls the original unchanged, so the program behaves as it would under
# plain python3. The probe's own failures are reported once on stderr and
# never reach the program.

import asyncio
import asyncio.base_events
import asyncio.events
import asyncio.runners
import asyncio.taskgroups
import asyncio.tasks
import asyncio.timeouts
import itertools
import linecache
import operator
import os
import sys
import threading
import time
import traceback
import warnings

from . import origin as _origin
from .origin import LIBRARY, asyncio_internal, file_kind, in_stdlib, origin
from . import tracebacks
from .protocol import MAX_TEXT, bounded_line, escape

MAX_RESULT = 200            # characters of a result's repr

_w = None                   # the Writer
_program = None             # absolute path of the program's file
_ids = itertools.count(1)
_sections = itertools.count(0)
# (parent id, line) for tasks made inside gather/wait_for/TaskGroup; the
# line of the call that makes them, or None where it must be looked up.
_override = []
_loop_thread = None
_probe_failed = False
_open_section = None        # Section being run
_last_root = None           # id of the latest section root
_next_name = None           # the name asyncio.create_task() is about to set
_append = None              # the Writer's append: one preformatted line


# What a program running its own loop runs at its end, as asyncio.run()
# does for itself: no section of its own.
_LOOP_HOUSEKEEPING = frozenset(("shutdown_asyncgens", "shutdown_default_executor"))


class Section:
    __slots__ = ("index", "root", "root_info", "runner", "ended", "implicit")

    def __init__(self, index, runner, implicit=False):
        self.index = index
        self.root = None
        self.root_info = None
        self.runner = runner
        self.ended = False
        self.implicit = implicit


class Info:
    """What the probe keeps about one asyncio Task."""
    # Read from the class until a task needs its own: most never do, and
    # tasks are made by the thousand.
    cause = cause_id = timeouts = visible = parent = given_name = None
    line = 0

    def __init__(self, ident, section, name):
        self.id = ident
        # Written into most of its lines: converted once.
        self.id_text = str(ident)
        self.section = section
        self.name = name
        # Read at every step: @quiet is @final or @hidden, one test
        # instead of two.
        self.final = self.hidden = self.quiet = False
        self.wake_ns = 0
        # A task a library made for itself (aiohttp's own housekeeping) is
        # hidden until the program's own code awaits it; meanwhile what it
        # makes is drawn under @visible, the task it stands for.


def _probe_error():
    global _probe_failed
    if not _probe_failed:
        _probe_failed = True
        sys.stderr.write("tasklanes probe: an internal error; the rest of the run may be drawn incompletely:\n")
        traceback.print_exc()


_monotonic_ns = time.monotonic_ns


def now_ns():
    return _monotonic_ns()


def _t(ns=None):
    """Protocol time: @ns, or now."""
    return _monotonic_ns() if ns is None else ns


def new_id():
    return next(_ids)


def source_line(depth=2):
    """The line in the program's own file that led here (0: none)."""
    try:
        f = sys._getframe(depth)
    except ValueError:
        return 0
    while f is not None:
        if f.f_code.co_filename == _program:
            return f.f_lineno or 0
        f = f.f_back
    return 0


_plain_types = (int, float, bool, type(None))
_BIG = 10 ** 100            # an int this large is cut like any long result


def short_repr(value, limit=MAX_RESULT):
    # A gather's list of ten thousand results is cut to its first @limit
    # characters: the first limit // 3 + 1 items alone are longer than that
    # (one character and a ", " each), so only they are written.
    if (value.__class__ is list or value.__class__ is tuple) and len(value) > limit // 3 + 1:
        value = value[:limit // 3 + 1]
    try:
        text = repr(value)
    except Exception:
        # Also a huge int, past Python's limit on converting one to text.
        text = "<%s>" % type(value).__name__
    if value.__class__ in _plain_types:
        return text if len(text) <= limit else text[:limit - 1] + "…"
    # "<aiohttp.client.ClientSession object at 0x7f…>" says no more than
    # its class name, nor does asyncio's "<StreamReader transport=<_Sel…"
    # once cut; a coroutine not yet started is shown as its call.
    if text.startswith("<") and (" at 0x" in text or type(value).__module__.startswith("asyncio.")):
        if text.startswith("<coroutine object ") and getattr(value, "cr_frame", None) is not None:
            text = call_text(value)
        else:
            text = "<%s>" % type(value).__name__
    if len(text) > limit:
        text = text[:limit - 1] + "…"
    return text


def error_text(exc):
    text = str(exc)
    return type(exc).__name__ + (": " + text if text else "")


# A function's code object → its _Shape. Functions wrapped by one decorator
# share the wrapper's code object: the second and later of them are kept
# under (code object, qualified name).
_shapes = {}
MAX_SHAPES = 10_000         # kept; a program that makes functions makes more
_POSITIONAL, _KEYWORD, _VARARGS = 0, 1, 2
_plain_set = frozenset(_plain_types)
_NOT_PLAIN = object()
MAX_ARG = 40                # characters of one argument in a call's text


class _Shape:
    """How to write the calls of one coroutine function."""
    __slots__ = ("qualname", "escaped_qualname", "short", "names", "template", "take", "one",
                 "fixed", "plain")

    def __init__(self, qualname, code):
        self.qualname = qualname
        self.escaped_qualname = escape(qualname)
        self.short = qualname.rsplit(".", 1)[-1]
        argcount = code.co_argcount
        n = argcount + code.co_kwonlyargcount
        names = []
        for i, arg in enumerate(code.co_varnames[:argcount]):
            if i == 0 and (arg == "self" or arg == "cls"):
                continue
            names.append((arg, _POSITIONAL))
        varargs = code.co_flags & 0x04
        if varargs:  # *args, as written: before the keyword-only ones
            names.append((code.co_varnames[n], _VARARGS))
        names.extend((arg, _KEYWORD) for arg in code.co_varnames[argcount:n])
        self.names = tuple(names)
        # Tasks come by the thousand from one function, mostly with numbers
        # for arguments: "fetch(%r, retries=%r)" writes such a call in one
        # step, its values taken out of f_locals by @take (or @one, for a
        # single argument). Anything else goes through call_text()'s loop.
        self.template = self.take = self.one = None
        self.plain = False
        if names and not varargs:
            self.template = "%s(%s)" % (self.short.replace("%", "%%"), ", ".join(
                "%r" if how == _POSITIONAL else arg + "=%r" for arg, how in names))
            # What the template writes besides the values themselves.
            self.fixed = len(self.template) - 2 * len(names)
            if len(names) == 1:
                self.one = names[0][0]
            else:
                self.take = operator.itemgetter(*(arg for arg, _ in names))
            # Whether what the template writes is a line's field as it is:
            # numbers, booleans and None never need escaping.
            self.plain = (escape(self.template) == self.template
                          and self.fixed + MAX_ARG * len(names) <= MAX_TEXT)


def _shape(coro, code):
    """The _Shape of the function @coro was made by, @code its code."""
    qualname = getattr(coro, "__qualname__", None) or type(coro).__name__
    shape = _shapes.get(code)
    if shape is None or shape.qualname != qualname:
        key = code if shape is None else (code, qualname)
        shape = _shapes.get(key)
        if shape is None:
            shape = _Shape(qualname, code)
            if len(_shapes) < MAX_SHAPES:
                _shapes[key] = shape
    return shape


def _filled(shape, local):
    """@shape's template filled with the arguments in @local, when every one
    is a number, a boolean or None and all fit; None otherwise."""
    if shape.one is not None:
        values = local.get(shape.one, _NOT_PLAIN)
        if values.__class__ not in _plain_set:
            return None
    else:
        try:
            values = shape.take(local)
        except KeyError:
            return None
        if not _plain_set.issuperset(map(type, values)):
            return None
    try:
        text = shape.template % values
    except ValueError:
        return None     # an int too long to write: the general way says so
    # All of them within one argument's limit: each of them is.
    return text if len(text) - shape.fixed <= MAX_ARG else None


def call_text(coro):
    """fetch_user(1): the call as written, from a not yet started coroutine."""
    frame = getattr(coro, "cr_frame", None)
    if frame is None:
        name = getattr(coro, "__qualname__", None) or type(coro).__name__
        return name.rsplit(".", 1)[-1] + "()"
    return _call_text(_shape(coro, frame.f_code), frame)


def _call_text(shape, frame):
    if not shape.names:
        return shape.short + "()"
    local = frame.f_locals
    if shape.template is not None:
        text = _filled(shape, local)
        if text is not None:
            return text
    args = []
    plain = _plain_types
    for arg, how in shape.names:
        if arg not in local:
            continue
        value = local[arg]
        if how == _VARARGS and isinstance(value, tuple):
            args.extend(short_repr(v, MAX_ARG) for v in value)
            continue
        if value.__class__ in plain:
            try:
                text = repr(value)
            except ValueError:
                text = "<int>"
            if len(text) > MAX_ARG:
                text = text[:MAX_ARG - 1] + "…"
        else:
            text = short_repr(value, MAX_ARG)
        args.append(text if how == _POSITIONAL else "%s=%s" % (arg, text))
    return "%s(%s)" % (shape.short, ", ".join(args))


def _describe(coro, name):
    """(qualname, label, escaped label) of a task made of @coro: its
    function's name, escaped for a line, and @name or its call as written."""
    frame = getattr(coro, "cr_frame", None)
    if frame is None:
        # Not a coroutine of an async def (a generator-based one, say).
        qualname = getattr(coro, "__qualname__", None) or type(coro).__name__
        label = name if name is not None else call_text(coro)
        return escape(qualname), label, escape(label)
    shape = _shape(coro, frame.f_code)
    if name is not None:
        return shape.escaped_qualname, name, escape(name)
    if shape.plain:
        label = _filled(shape, frame.f_locals)
        if label is not None:
            return shape.escaped_qualname, label, label
    label = _call_text(shape, frame)
    return shape.escaped_qualname, label, escape(label)


def info_of(task):
    return getattr(task, "_tasklanes", None) if isinstance(task, asyncio.Future) else None


def child_id(fut):
    """The id of a task or an executor job, None for other futures."""
    info = info_of(fut)
    if info is not None:
        return info.id if not info.hidden else None
    job = getattr(fut, "_tasklanes_job", None)
    return job[0] if job is not None else None


_get_running_loop = asyncio.events._get_running_loop
_current_tasks = asyncio.tasks._current_tasks   # what current_task() reads


def running_info():
    """The Info of the task running on this thread's loop, hidden or not."""
    loop = _get_running_loop()
    if loop is None:
        return None
    task = _current_tasks.get(loop)
    if task is None:
        return None
    return getattr(task, "_tasklanes", None)


def current_info():
    """The Info to draw what the running task makes under: its own, or for a
    hidden library task, that of the task it stands for."""
    info = running_info()
    if info is not None and info.hidden:
        return info.visible
    return info


def emit_instance(ident, parent, section, kind, on, line, name, label, ns=None):
    _w.emit("task", _t(ns), ident, parent if parent is not None else "-", section, kind, on,
            line, escape(name), escape(label))


def emit_state(state, ident, ns=None):
    _append("%s\t%d\t%d" % (state, _monotonic_ns() if ns is None else ns, ident))


def emit_ok(ident, result, ns=None):
    _w.emit("ok", _t(ns), ident, escape(result))


def emit_failed(ident, exc, ns=None, with_traceback=True):
    if with_traceback:
        text = tracebacks.format_exception(exc)
        _w.emit("traceback", _t(ns), ident, escape(text[-3000:], 3000))
    _w.emit("failed", _t(ns), ident, escape(error_text(exc)))


def emit_cancelled(ident, state, cause, cause_id, ns=None):
    _w.emit("cancelled", _t(ns), ident, state, cause or "none",
            cause_id if cause_id is not None else "-")


def emit_warning(ident, code, message):
    _w.emit("warning", _t(), ident if ident is not None else "-", code, escape(message))


def mark_cause(fut, cause, cause_id, depth=0):
    """Before cancelling: say why, down the chain of what @fut awaits."""
    if fut is None or depth > 32:
        return
    info = info_of(fut)
    if info is not None:
        if info.cause is None and not fut.done():
            info.cause, info.cause_id = cause, cause_id
        mark_cause(getattr(fut, "_fut_waiter", None), cause, cause_id, depth + 1)
        return
    for child in getattr(fut, "_children", None) or ():
        mark_cause(child, cause, cause_id, depth + 1)


# --- sections ---

def _begin_section(runner, implicit=False):
    global _open_section
    _open_section = Section(next(_sections), runner, implicit)
    return _open_section


def _end_section(section):
    global _open_section
    if section is None or section.ended:
        return
    section.ended = True
    if section.root is not None:
        _w.emit("section-end", _t(), section.index)
    if _open_section is section:
        _open_section = None


_orig_run_forever = asyncio.base_events.BaseEventLoop.run_forever


def _run_forever(self):
    """A loop the program runs itself: its section is one run of the loop,
    from its first task until the loop stops with that task done (other
    tasks it started outside any task may outlive the first)."""
    try:
        return _orig_run_forever(self)
    finally:
        section = _open_section
        if section is not None and section.implicit and section.root_info is not None and \
                section.root_info.final:
            _end_section(section)


def _warn_pending(loop, section):
    try:
        pending = [t for t in asyncio.tasks.all_tasks(loop) if not t.done()]
    except RuntimeError:
        return
    for task in pending:
        info = info_of(task)
        if info is None or info.final or info.hidden:
            continue
        emit_warning(info.id, "pending-at-exit",
                     "%s was still pending when asyncio.run() returned, so it was cancelled there."
                     % (info.name,))
        if info.cause is None:
            info.cause, info.cause_id = "section-end", section.root


_orig_runner_run = asyncio.runners.Runner.run
_orig_runner_close = asyncio.runners.Runner.close


def _runner_run(self, coro, *, context=None):
    previous = getattr(self, "_tasklanes_section", None)
    if previous is not None:
        _end_section(previous)
    section = _begin_section(self)
    self._tasklanes_section = section
    try:
        return _orig_runner_run(self, coro, context=context)
    finally:
        try:
            loop = self._loop
            if loop is not None and not loop.is_closed() and section.root is not None:
                _warn_pending(loop, section)
        except Exception:
            _probe_error()


def _runner_close(self):
    try:
        return _orig_runner_close(self)
    finally:
        section = getattr(self, "_tasklanes_section", None)
        if section is not None:
            _end_section(section)
            self._tasklanes_section = None
        _w.flush()


# --- tasks ---

_orig_create_task = asyncio.base_events.BaseEventLoop.create_task
_Task = asyncio.Task
_Future = asyncio.Future


# The fields of a task line between its id and its label, as last written:
# the tasks one gather makes, or one create_task() in a loop, share them,
# and numbers are dear to write.
_middle_key = None          # (parent, section, line, escaped qualname)
_middle = None


def _create_task(self, coro, *, name=None, context=None):
    global _last_root, _loop_thread, _next_name, _middle_key, _middle
    eager = None
    if self._task_factory is not None:
        # A factory may run the task's first step at once, even to its end
        # (asyncio.eager_task_factory, 3.12): when, and the call as
        # written, are read before it does.
        try:
            eager = (_monotonic_ns(), _describe(coro, name if name is not None else _next_name))
        except Exception:
            eager = None
    if context is None:
        task = _orig_create_task(self, coro, name=name)
    else:
        task = _orig_create_task(self, coro, name=name, context=context)
    # All in one function rather than calls of their own: this runs for
    # every task.
    try:
        # A task factory may hand out a task the probe already knows.
        if task.__class__ is not _Task or self._task_factory is not None:
            if not isinstance(task, _Future) or getattr(task, "_tasklanes", None) is not None:
                return task
        section = _open_section
        creator = None
        if _override:
            # Made by a gather, wait_for or TaskGroup of the program's own,
            # which says under what and (mostly) on which line.
            parent, line = _override[-1]
        else:
            parent = line = None
            running = _current_tasks.get(self)
            if running is not None:
                creator = getattr(running, "_tasklanes", None)
                if creator is not None:
                    if creator.hidden:
                        creator = creator.visible
                    if creator is not None:
                        parent = creator.id
        if parent is None:
            if section is not None and section.root is not None:
                root = section.root_info
                if root is None or root.final or threading.get_ident() != _loop_thread:
                    # asyncio.run()'s own housekeeping (shutdown_asyncgens…),
                    # or a loop in another thread while this section runs.
                    return task
                # Made by a callback, outside any task, while the section
                # runs (a server's client handler, call_soon(create_task,
                # …)): one of the section's tasks. No line of the program
                # is on the stack but asyncio.run()'s: its coroutine's own
                # says more.
                parent = section.root
                code = getattr(coro, "cr_code", None)
                if code is not None and code.co_filename == _origin._program:
                    line = code.co_firstlineno
            if section is None:
                code = getattr(coro, "cr_code", None)
                if code is not None and code.co_name in _LOOP_HOUSEKEEPING and in_stdlib(code):
                    # loop.run_until_complete(loop.shutdown_asyncgens()) at
                    # the end of a program that runs its own loop.
                    return task
                # A loop run without asyncio.run(): its first task is a section.
                section = _begin_section(None, implicit=True)
        elif section is None:
            return task
        if name is None and _next_name is not None:
            name = _next_name
        _next_name = None
        if line is not None:
            # The walk up the stack to find it again is saved for every child.
            library = False
        else:
            line, library = origin(sys._getframe(1))
            if not library:
                code = getattr(coro, "cr_code", None)
                library = code is not None and asyncio_internal(code)
        if library and parent is not None:
            info = Info(next(_ids), section.index, None)
            info.hidden = info.quiet = True
            info.visible = creator if creator is not None else current_info()
            info.parent = parent
            info.line = line
            info.given_name = name
            task._tasklanes = info
            return task
        if eager is None:
            escaped_qualname, label, escaped_label = _describe(coro, name)
        else:
            escaped_qualname, label, escaped_label = eager[1]
        ident = next(_ids)
        info = task._tasklanes = Info(ident, section.index, label)
        key = (parent, section.index, line, escaped_qualname)
        if key != _middle_key:
            _middle_key = key
            _middle = "\t%s\t%d\tsequence\tloop\t%d\t%s\t" % (
                parent if parent is not None else "-", section.index, line, escaped_qualname)
        text = "task\t%d\t%s%s%s" % (_monotonic_ns() if eager is None else eager[0], info.id_text, _middle,
                                      escaped_label)
        _append(text if len(text) < 1000 else bounded_line(text))
        if parent is None:
            section.root = ident
            section.root_info = info
            _last_root = ident
            _loop_thread = threading.get_ident()
            _w.emit("section-start", _t(), section.index, ident)
        if eager is not None:
            _eager_step(task, info, eager[0])
        # No done callback of our own: a task ends in a step (even one
        # cancelled before it started), and steps.py reports it there.
    except Exception:
        _probe_error()
    return task


def _eager_step(task, info, start):
    """The step a task factory ran as it made @task, if it ran one."""
    from . import steps     # steps.py imports this module
    end = _monotonic_ns()
    if task.done():
        steps.report_final(task, info, start, end)
    elif getattr(task.get_coro(), "cr_suspended", False):
        _append("step\t%d\t%s\t%d" % (start, info.id_text, end))


_orig_asyncio_create_task = asyncio.tasks.create_task


def create_task(coro, *, name=None, context=None):
    global _next_name
    # asyncio.create_task() names the task only after loop.create_task().
    _next_name = name
    try:
        if context is None:
            return _orig_asyncio_create_task(coro, name=name)
        return _orig_asyncio_create_task(coro, name=name, context=context)
    finally:
        _next_name = None


def describe_frame(frame):
    """`time.sleep(0.5)` at prog.py:12: the innermost line of the program."""
    f = frame
    while f is not None and f.f_code.co_filename != _program:
        f = f.f_back
    if f is None:
        f = frame
    # A frame between two lines (starting, or in a generator's prologue)
    # has no line number.
    lineno = f.f_lineno or 0
    text = linecache.getline(f.f_code.co_filename, lineno).strip() if lineno else ""
    where = "%s:%d" % (os.path.basename(f.f_code.co_filename), lineno)
    return "%s (%s)" % (text, where) if text else where


# --- gather, wait, wait_for, timeout, TaskGroup ---

_orig_gather = asyncio.tasks.gather


def _awaitable_label(aw):
    info = info_of(aw)
    if info is not None:
        return info.name
    job = getattr(aw, "_tasklanes_job", None)
    if job is not None:
        return job[1]
    if asyncio.iscoroutine(aw):
        return call_text(aw)
    return type(aw).__name__


def _list_label(func, aws, extra=""):
    parts = [_awaitable_label(a) for a in aws[:3]]
    if len(aws) > 3:
        parts.append("…")
    return "%s(%s%s)" % (func, ", ".join(parts), extra)


def gather(*aws, return_exceptions=False):
    parent = current_info()
    section = _open_section
    if parent is None or section is None:
        return _orig_gather(*aws, return_exceptions=return_exceptions)
    caller = sys._getframe(1)
    line, library = origin(caller)
    # A gather the standard library makes for itself (a subprocess's
    # communicate() over its pipes, asyncio.run() cancelling what is left).
    if library or in_stdlib(caller.f_code):
        return _orig_gather(*aws, return_exceptions=return_exceptions)
    gid = new_id()
    label = _list_label("gather", aws, ", return_exceptions=True" if return_exceptions else "")
    emit_instance(gid, parent.id, section.index, "gather", "loop", line, "gather", label)
    _override.append((gid, line))
    try:
        outer = _orig_gather(*aws, return_exceptions=return_exceptions)
    except BaseException as exc:
        emit_failed(gid, exc, with_traceback=False)
        raise
    finally:
        _override.pop()
    emit_state("waiting", gid)
    children = list(getattr(outer, "_children", ()) or ())
    try:
        outer._tasklanes_id = gid
    except AttributeError:
        pass
    outer.add_done_callback(lambda f: _combinator_done(f, gid, children))
    return outer


def _combinator_done(fut, ident, children):
    ns = now_ns()
    # A gather of thousands of tasks writes thousands of these lines: the
    # same words around each child's id, joined in one go.
    refs = []
    for child in children:
        try:
            info = child._tasklanes
        except AttributeError:
            info = None
        if info is not None:
            if not info.hidden and child.done():
                refs.append(info.id_text)
            continue
        ref = child_id(child)
        if ref is not None and child.done():
            refs.append(str(ref))
    if refs:
        before = "taken\t%d\t" % ns
        after = "\t%d" % ident
        _append(before + (after + "\n" + before).join(refs) + after)
    if fut.cancelled():
        emit_cancelled(ident, "cancelled", None, None, ns)
    elif fut._exception is not None:
        emit_failed(ident, fut._exception, ns, with_traceback=False)
    else:
        emit_ok(ident, short_repr(fut._result), ns)


_GatheringFuture = asyncio.tasks._GatheringFuture
_orig_gathering_cancel = _GatheringFuture.cancel


def _gathering_cancel(self, msg=None):
    gid = getattr(self, "_tasklanes_id", None)
    if gid is not None:
        for child in self._children:
            mark_cause(child, "parent", gid)
    return _orig_gathering_cancel(self, msg=msg)


_orig_wait = asyncio.tasks.wait


async def wait(fs, *, timeout=None, return_when=asyncio.ALL_COMPLETED):
    parent = current_info()
    section = _open_section
    line, library = origin(sys._getframe(1))
    if parent is None or section is None or library:
        return await _orig_wait(fs, timeout=timeout, return_when=return_when)
    wid = new_id()
    fs_list = list(fs) if not isinstance(fs, (asyncio.Future,)) else [fs]
    extra = ""
    if return_when != asyncio.ALL_COMPLETED:
        extra += ", return_when=%s" % return_when
    if timeout is not None:
        extra += ", timeout=%s" % timeout
    emit_instance(wid, parent.id, section.index, "wait", "loop", line, "wait",
                  "wait(%d tasks%s)" % (len(fs_list), extra))
    emit_state("waiting", wid)
    if timeout is not None:
        _w.emit("deadline", _t(), wid, _t() + int(timeout * 1e9), 1)
    _push_timeout(parent, wid, None, 1)
    try:
        done, pending = await _orig_wait(fs_list, timeout=timeout, return_when=return_when)
    except asyncio.CancelledError:
        emit_cancelled(wid, "cancelled", parent.cause, parent.cause_id)
        raise
    except BaseException as exc:
        emit_failed(wid, exc, with_traceback=False)
        raise
    finally:
        _pop_timeout(parent)
    ns = now_ns()
    for task in done:
        ref = child_id(task)
        if ref is not None:
            _w.emit("taken", _t(ns), ref, wid)
    emit_ok(wid, "%d done, %d pending" % (len(done), len(pending)), ns)
    return done, pending


def _push_timeout(info, ident, inner, b):
    if info.timeouts is None:
        info.timeouts = []
    info.timeouts.append((ident, inner, b))


def _pop_timeout(info):
    if info.timeouts:
        info.timeouts.pop()


_orig_wait_for = asyncio.tasks.wait_for


async def wait_for(fut, timeout):
    parent = current_info()
    section = _open_section
    line, library = origin(sys._getframe(1))
    if parent is None or section is None or timeout is None or library:
        return await _orig_wait_for(fut, timeout)
    wid = new_id()
    emit_instance(wid, parent.id, section.index, "sequence", "loop", line, "wait_for",
                  "wait_for(%s, timeout=%s)" % (_awaitable_label(fut), timeout))
    emit_state("waiting", wid)
    _w.emit("deadline", _t(), wid, _t() + int(timeout * 1e9), 0)
    if asyncio.iscoroutine(fut):
        _override.append((wid, line))
        try:
            fut = asyncio.tasks.ensure_future(fut)
        finally:
            _override.pop()
    _push_timeout(parent, wid, fut, 0)
    try:
        result = await _orig_wait_for(fut, timeout)
    except asyncio.TimeoutError:
        emit_cancelled(wid, "timed-out", "timeout", wid)
        raise
    except asyncio.CancelledError:
        emit_cancelled(wid, "cancelled", parent.cause, parent.cause_id)
        raise
    except BaseException as exc:
        emit_failed(wid, exc, with_traceback=False)
        raise
    finally:
        _pop_timeout(parent)
    ref = child_id(fut)
    if ref is not None:
        _w.emit("taken", _t(), ref, wid)
    emit_ok(wid, short_repr(result))
    return result


_orig_release_waiter = asyncio.tasks._release_waiter


def _release_waiter(waiter, *args):
    # Called with no extra argument only by the timer of wait()/wait_for().
    if not args and not waiter.done():
        try:
            _timer_fired(waiter)
        except Exception:
            _probe_error()
    return _orig_release_waiter(waiter, *args)


def _timer_fired(waiter):
    for callback, _ctx in getattr(waiter, "_callbacks", None) or ():
        info = info_of(getattr(callback, "__self__", None))
        if info is not None and info.timeouts:
            ident, inner, b = info.timeouts[-1]
            _w.emit("timeout", _t(), ident, b)
            if inner is not None:
                mark_cause(inner, "timeout", ident)
            return


_Timeout = asyncio.timeouts.Timeout
_orig_timeout_aenter = _Timeout.__aenter__
_orig_timeout_aexit = _Timeout.__aexit__
_orig_timeout_on_timeout = _Timeout._on_timeout
_orig_timeout_reschedule = _Timeout.reschedule


async def _timeout_aenter(self):
    result = await _orig_timeout_aenter(self)
    try:
        parent = current_info()
        section = _open_section
        line, library = origin(sys._getframe(1))
        if parent is not None and section is not None and not library:
            tid = new_id()
            self._tasklanes_id = tid
            when = self.when()
            delay = ""
            if when is not None:
                delay = "%.3g" % max(when - asyncio.events.get_running_loop().time(), 0)
            emit_instance(tid, parent.id, section.index, "sequence", "loop", line,
                          "timeout", "timeout(%s)" % delay)
            emit_state("waiting", tid)
            if when is not None:
                _w.emit("deadline", _t(), tid, _w.from_monotonic(when), 0)
    except Exception:
        _probe_error()
    return result


def _timeout_reschedule(self, when):
    _orig_timeout_reschedule(self, when)
    tid = getattr(self, "_tasklanes_id", None)
    if tid is not None and when is not None:
        _w.emit("deadline", _t(), tid, _w.from_monotonic(when), 0)


def _timeout_on_timeout(self):
    tid = getattr(self, "_tasklanes_id", None)
    if tid is not None:
        try:
            _w.emit("timeout", _t(), tid, 0)
            task = self._task
            mark_cause(getattr(task, "_fut_waiter", None), "timeout", tid)
        except Exception:
            _probe_error()
    return _orig_timeout_on_timeout(self)


async def _timeout_aexit(self, exc_type, exc_val, exc_tb):
    try:
        result = await _orig_timeout_aexit(self, exc_type, exc_val, exc_tb)
    except BaseException as exc:
        tid = getattr(self, "_tasklanes_id", None)
        if tid is not None:
            if isinstance(exc, TimeoutError) and self.expired():
                emit_cancelled(tid, "timed-out", "timeout", tid)
            elif isinstance(exc, asyncio.CancelledError):
                emit_cancelled(tid, "cancelled", None, None)
            else:
                emit_failed(tid, exc, with_traceback=False)
        raise
    tid = getattr(self, "_tasklanes_id", None)
    if tid is not None:
        if exc_val is None:
            emit_ok(tid, "None")
        elif isinstance(exc_val, asyncio.CancelledError):
            emit_cancelled(tid, "cancelled", None, None)
        else:
            emit_failed(tid, exc_val, with_traceback=False)
    return result


_TaskGroup = asyncio.taskgroups.TaskGroup
_orig_tg_aenter = _TaskGroup.__aenter__
_orig_tg_aexit = _TaskGroup.__aexit__
_orig_tg_create_task = _TaskGroup.create_task
_orig_tg_on_task_done = _TaskGroup._on_task_done


async def _tg_aenter(self):
    result = await _orig_tg_aenter(self)
    try:
        parent = current_info()
        section = _open_section
        line, library = origin(sys._getframe(1))
        if parent is not None and section is not None and not library:
            gid = new_id()
            self._tasklanes_id = gid
            emit_instance(gid, parent.id, section.index, "gather", "loop", line,
                          "TaskGroup", "async with TaskGroup()")
            emit_state("waiting", gid)
    except Exception:
        _probe_error()
    return result


def _tg_create_task(self, coro, *, name=None, context=None):
    global _next_name
    gid = getattr(self, "_tasklanes_id", None)
    if gid is not None:
        _override.append((gid, None))
    _next_name = name
    try:
        if context is None:
            return _orig_tg_create_task(self, coro, name=name)
        return _orig_tg_create_task(self, coro, name=name, context=context)
    finally:
        _next_name = None
        if gid is not None:
            _override.pop()


def _tg_on_task_done(self, task):
    try:
        if not task.cancelled() and task._exception is not None and not self._aborting:
            failed = info_of(task)
            if failed is not None and not failed.hidden:
                for other in self._tasks:
                    if other is not task:
                        mark_cause(other, "sibling-failed", failed.id)
        gid = getattr(self, "_tasklanes_id", None)
        ref = child_id(task)
        if gid is not None and ref is not None:
            _w.emit("taken", _t(), ref, gid)
    except Exception:
        _probe_error()
    return _orig_tg_on_task_done(self, task)


async def _tg_aexit(self, et, exc, tb):
    gid = getattr(self, "_tasklanes_id", None)
    try:
        result = await _orig_tg_aexit(self, et, exc, tb)
    except BaseException as error:
        if gid is not None:
            if isinstance(error, asyncio.CancelledError):
                emit_cancelled(gid, "cancelled", None, None)
            else:
                emit_failed(gid, error, with_traceback=False)
        raise
    if gid is not None:
        emit_ok(gid, "None")
    return result


# --- warnings ---

_orig_warn_unawaited = getattr(warnings, "_warn_unawaited_coroutine", None)


def _warn_unawaited_coroutine(coro):
    try:
        _never_awaited(coro)
    except Exception:
        _probe_error()
    # The message Python itself gives without origin tracking.
    msg = "coroutine '%s' was never awaited" % (coro.__qualname__,)
    warnings.warn(msg, category=RuntimeWarning, stacklevel=2, source=coro)


def _never_awaited(coro):
    parent = current_info()
    section = _open_section
    if parent is not None:
        parent_id, index = parent.id, parent.section
    elif section is not None and section.root is not None:
        parent_id, index = section.root, section.index
    else:
        return
    ident = new_id()
    label = call_text(coro)
    # Where the coroutine was dropped, which for a forgotten `await` is the
    # line that made it: origin tracking would name it in every case, at a
    # cost on every coroutine the program makes. When the program turned it
    # on itself, it is used.
    line = 0
    made = getattr(coro, "cr_origin", None)
    if made:
        for filename, lineno, _func in made:
            if filename == _program:
                line = lineno
                break
    else:
        line = source_line(3)
    emit_instance(ident, parent_id, index, "sequence", "loop", line, coro.__qualname__, label)
    emit_cancelled(ident, "never-started", "none", None)
    emit_warning(ident, "never-awaited",
                 "%s was created but never awaited, so it never ran (RuntimeWarning: coroutine '%s' was never awaited)."
                 % (label, coro.__qualname__))


_orig_call_exception_handler = asyncio.base_events.BaseEventLoop.call_exception_handler


def _call_exception_handler(self, context):
    try:
        message = context.get("message", "")
        fut = context.get("future") or context.get("task")
        info = info_of(fut)
        if info is not None and not info.hidden and "never retrieved" in message:
            exc = context.get("exception")
            emit_warning(info.id, "exception-never-retrieved",
                         "%s raised %s and nothing ever retrieved it (no await, no result())."
                         % (info.name, error_text(exc) if exc is not None else "an exception"))
    except Exception:
        _probe_error()
    return _orig_call_exception_handler(self, context)


# --- before os._exit(), what is buffered goes out ---

_orig_os_exit = os._exit


def _os_exit(status):
    try:
        _w.flush()
    except Exception:
        pass
    _orig_os_exit(status)


# --- installing ---

def install(writer, program):
    global _w, _program, _append
    _w = writer
    _program = program
    _append = writer.append
    _origin.set_program(program)
    asyncio.runners.Runner.run = _runner_run
    asyncio.runners.Runner.close = _runner_close
    asyncio.base_events.BaseEventLoop.create_task = _create_task
    asyncio.base_events.BaseEventLoop.run_forever = _run_forever
    asyncio.base_events.BaseEventLoop.call_exception_handler = _call_exception_handler
    os._exit = _os_exit
    asyncio.create_task = asyncio.tasks.create_task = create_task
    asyncio.gather = asyncio.tasks.gather = gather
    asyncio.wait = asyncio.tasks.wait = wait
    asyncio.wait_for = asyncio.tasks.wait_for = wait_for
    asyncio.tasks._release_waiter = _release_waiter
    _GatheringFuture.cancel = _gathering_cancel
    _Timeout.__aenter__ = _timeout_aenter
    _Timeout.__aexit__ = _timeout_aexit
    _Timeout._on_timeout = _timeout_on_timeout
    _Timeout.reschedule = _timeout_reschedule
    _TaskGroup.__aenter__ = _tg_aenter
    _TaskGroup.__aexit__ = _tg_aexit
    _TaskGroup.create_task = _tg_create_task
    _TaskGroup._on_task_done = _tg_on_task_done
    if _orig_warn_unawaited is not None:
        warnings._warn_unawaited_coroutine = _warn_unawaited_coroutine


def end_open_sections():
    """At exit: a section still open (the program left mid-run) ends now."""
    if _open_section is not None:
        _end_section(_open_section)


def in_section():
    return _open_section is not None or _last_root is not None
