# executors.py — run_in_executor / to_thread jobs on threads and processes
#
# Copyright 2026 The Tasklanes authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# A job is queued when it is submitted. On a thread pool the job itself
# says when it starts and ends; in a process pool the worker runs it in
# another process, so the job returns its own start and end times with its
# result and the probe reports them when it comes back.

import asyncio
import asyncio.base_events
import concurrent.futures
import functools
import time

from . import observe
from .protocol import escape

_orig_run_in_executor = asyncio.base_events.BaseEventLoop.run_in_executor


def _unwrap(func, args):
    """to_thread() wraps the call in functools.partial(ctx.run, func, …)."""
    if isinstance(func, functools.partial) and getattr(func.func, "__name__", "") == "run" and func.args:
        return func.args[0], func.args[1:] + tuple(args)
    return func, args


def _job_label(func, args):
    name = getattr(func, "__name__", None) or type(func).__name__
    shown = [observe.short_repr(a, 40) for a in args[:4]]
    if len(args) > 4:
        shown.append("…")
    return name, "%s(%s)" % (name, ", ".join(shown))


class _ThreadJob:
    __slots__ = ("ident", "func")

    def __init__(self, ident, func):
        self.ident = ident
        self.func = func

    def __call__(self, *args):
        w = observe._w
        w.emit("running", w.now(), self.ident)
        try:
            result = self.func(*args)
        except BaseException as exc:
            w.emit("failed", w.now(), self.ident, escape(observe.error_text(exc)))
            raise
        w.emit("ok", w.now(), self.ident, escape(observe.short_repr(result)))
        return result


def _process_job(func, *args):
    """Runs in the worker process: the result with its own start and end."""
    start = time.monotonic_ns()
    try:
        result = func(*args)
    except BaseException as exc:
        return (start, time.monotonic_ns(), False, exc)
    return (start, time.monotonic_ns(), True, result)


def _process_done(inner, outer, ident):
    w = observe._w
    if inner.cancelled():
        w.emit("cancelled", w.now(), ident, "cancelled", "none", "-")
        if not outer.done():
            outer.cancel()
        return
    exc = inner.exception()
    if exc is not None:
        # The pool itself failed (a worker died, a pickling error).
        w.emit("failed", w.now(), ident, escape(observe.error_text(exc)))
        if not outer.done():
            outer.set_exception(exc)
        return
    start, end, ok, value = inner.result()
    w.emit("running", start, ident)
    if ok:
        w.emit("ok", end, ident, escape(observe.short_repr(value)))
        if not outer.done():
            outer.set_result(value)
    else:
        w.emit("failed", end, ident, escape(observe.error_text(value)))
        if not outer.done():
            outer.set_exception(value)


def _outer_done(outer, inner):
    if outer.cancelled():
        inner.cancel()


def _thread_done(fut, ident):
    if fut.cancelled():
        w = observe._w
        w.emit("cancelled", w.now(), ident, "cancelled", "none", "-")


def run_in_executor(self, executor, func, *args):
    parent = observe.current_info()
    section = observe._open_section
    if parent is None or section is None:
        return _orig_run_in_executor(self, executor, func, *args)
    try:
        real, real_args = _unwrap(func, args)
        name, label = _job_label(real, real_args)
        on = "process" if isinstance(executor, concurrent.futures.ProcessPoolExecutor) else "thread"
        ident = observe.new_id()
        observe.emit_instance(ident, parent.id, section.index, "blocking", on,
                              observe.source_line(2), name, label)
        observe.emit_state("queued", ident)
    except Exception:
        observe._probe_error()
        return _orig_run_in_executor(self, executor, func, *args)
    if on == "process":
        inner = _orig_run_in_executor(self, executor, _process_job, func, *args)
        outer = self.create_future()
        inner.add_done_callback(lambda f: _process_done(f, outer, ident))
        outer.add_done_callback(lambda f: _outer_done(f, inner))
        _tag(outer, ident, label)
        return outer
    fut = _orig_run_in_executor(self, executor, _ThreadJob(ident, func), *args)
    fut.add_done_callback(lambda f: _thread_done(f, ident))
    _tag(fut, ident, label)
    return fut


def _tag(fut, ident, label):
    try:
        fut._tasklanes_job = (ident, label)
    except AttributeError:
        pass


def install():
    asyncio.base_events.BaseEventLoop.run_in_executor = run_in_executor
