# steps.py — each step a task takes on the loop, and what holds the loop
#
# Copyright 2026 The Tasklanes authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Everything the loop runs is a Handle: a task's step, a timer, a done
# callback. The probe times each one: a task's step becomes a `step` line
# (or `running` and its outcome, for its last one), and any handle that
# holds the loop over STALL_NS becomes a `stall` naming the call.
#
# On the Pythons whose BaseEventLoop._run_once this file reproduces
# (3.11 to 3.13, the same code but for one equivalent expression), the
# probe runs the loop's turn itself: the handles are called inline, as
# Handle._run calls them, with no Python frame of the probe's per handle
# and one clock reading per handle (one handle's end is the next one's
# start). On any other Python it wraps Handle._run instead, which costs
# two frames and two clock readings per handle but relies on nothing
# private beyond Handle._callback.

import asyncio
import asyncio.base_events
import asyncio.events
import asyncio.format_helpers
import heapq
import sys
import time

from . import observe
from .origin import LIBRARY, file_kind
from .protocol import FLUSH_LINES, escape

STALL_NS = 100_000_000      # a step this long is a loop-blocked warning
BLOCKED_NS = 50_000_000     # ready this long before running: drawn as blocked
SAMPLE_NS = 50_000_000      # the watchdog names the call after this long

OWN_TURN_VERSIONS = ((3, 11), (3, 12), (3, 13))

_w = None                   # the Writer
_append = None              # the Writer's append: one preformatted line
_pending = None             # the Writer's lines not yet written
_step_start = 0             # when the handle holding the loop started (0: none)
_sampled = (0, None)        # (that start, the call the watchdog saw holding the loop)

_monotonic_ns = time.monotonic_ns
_Future = asyncio.Future
_Task = asyncio.Task
_Handle = asyncio.events.Handle
_TimerHandle = asyncio.events.TimerHandle
_function = type(lambda: None)
# What the timer of asyncio.sleep(delay) calls when the delay is over.
_sleep_over = asyncio.futures._set_result_unless_cancelled
_future_types = {}          # type → whether it is an asyncio Future (a task)
_plain_types = observe._plain_types
_BIG = observe._BIG


def _task_info(callback):
    """The Info of the visible, unfinished task whose step @callback is."""
    task = getattr(callback, "__self__", None)
    if task is None:
        return None, None
    kind = task.__class__
    if kind is not _Task:
        is_future = _future_types.get(kind)
        if is_future is None:
            is_future = _future_types[kind] = issubclass(kind, _Future)
        if not is_future:
            return None, None
    info = getattr(task, "_tasklanes", None)
    if info is None or info.quiet:
        return None, None
    return task, info


def report_final(task, info, start, end):
    """The last step of a task: running from @start, then how it ended."""
    info.final = info.quiet = True
    ident = info.id
    if task.cancelled():
        observe.emit_state("running", ident, start)
        observe.emit_cancelled(ident, "cancelled", info.cause, info.cause_id, end)
        return
    exc = task._exception
    if exc is not None:
        observe.emit_state("running", ident, start)
        observe.emit_failed(ident, exc, end)
        return
    result = task._result
    ident = info.id_text
    # Two lines in one entry: the writer joins entries with newlines.
    if result.__class__ is int and -_BIG < result < _BIG:
        _append("running\t%d\t%s\nok\t%d\t%s\t%d" % (start, ident, end, ident, result))
        return
    if result.__class__ in _plain_types:
        text = repr(result) if result.__class__ is not int else observe.short_repr(result)
    else:
        text = escape(observe.short_repr(result))
    _append("running\t%d\t%s\nok\t%d\t%s\t%s" % (start, ident, end, ident, text))


def _step_done(task, info, start, end):
    """After a step of @task: its line, and a hidden task it now awaits."""
    if task.done():
        report_final(task, info, start, end)
        return
    # One line for the whole step: running from START, waiting from END. A
    # step still going shows as running live only when it is long (the
    # watchdog's "stall" says so).
    _append("step\t%d\t%s\t%d" % (start, info.id_text, end))
    waiter = task._fut_waiter
    if waiter is not None and waiter.__class__ is not _Future:
        _maybe_reveal(task, waiter)


def _maybe_reveal(task, waiter):
    """@task waits for @waiter: a hidden task it awaits in its own code shows."""
    awaited = getattr(waiter, "_tasklanes", None) if isinstance(waiter, _Future) else None
    if awaited is not None and awaited.hidden and _awaited_by_own_code(task):
        reveal(waiter, awaited)


def _awaited_by_own_code(task):
    """Whether the innermost coroutine @task is suspended in is not a library's."""
    coro = task.get_coro()
    for _ in range(64):
        inner = getattr(coro, "cr_await", None)
        if inner is None or getattr(inner, "cr_frame", None) is None:
            break
        coro = inner
    frame = getattr(coro, "cr_frame", None)
    return frame is not None and file_kind(frame.f_code.co_filename) != LIBRARY


def reveal(task, info):
    """A hidden library task the program's own code awaits: drawn from now."""
    if not info.hidden:
        return
    info.hidden = False
    info.quiet = info.final
    coro = task.get_coro()
    qualname = getattr(coro, "__qualname__", None) or type(coro).__name__
    info.name = info.given_name if info.given_name is not None else observe.call_text(coro)
    observe.emit_instance(info.id, info.parent, info.section, "sequence", "loop", info.line, qualname,
                          info.name)
    if task.done():
        ns = _monotonic_ns()
        report_final(task, info, ns, ns)
    else:
        observe.emit_state("waiting", info.id)


def _sleep_timer_fires(handle):
    """The timer of an asyncio.sleep() fires: the task waiting for it is
    due from the timer's time, and drawn as blocked if it runs much later."""
    # The sleep's future, its first done callback (the waiting task's
    # wakeup, a bound method), that task's Info. Anything else (no callback,
    # a callback of another kind, a task the probe does not know) fails one
    # of the steps, for the price of one try.
    try:
        info = handle._args[0]._callbacks[0][0].__self__._tasklanes
        # loop.time() is time.monotonic(), in seconds.
        info.wake_ns = int(handle._when * 1e9)
    except (TypeError, IndexError, AttributeError):
        pass


def _blocked(info, wake):
    """@info's task was due at @wake and runs BLOCKED_NS or more later."""
    _append("blocked\t%d\t%s" % (wake, info.id_text))


def _report_stall(info, start, end):
    sampled_start, call = _sampled
    if sampled_start != start or call is None:
        call = "-"
    _w.emit("stall", start, info.id if info is not None else "-", end - start, escape(call))


def sample_current_step():
    """Watchdog thread: name the call holding the loop for a long step."""
    global _sampled
    start = _step_start
    loop_thread = observe._loop_thread
    if not start or loop_thread is None or _sampled[0] == start:
        return
    if _monotonic_ns() - start < SAMPLE_NS:
        return
    frame = sys._current_frames().get(loop_thread)
    if frame is None or _step_start != start:
        return
    _sampled = (start, observe.describe_frame(frame))


def _callback_failed(handle, exc):
    """What Handle._run does with an exception its callback raised."""
    callback, args = handle._callback, handle._args
    format_source = asyncio.format_helpers._format_callback_source
    # It takes the loop's debug flag in 3.13 and later 3.12 releases, and
    # refuses it in 3.11 and 3.12.1: asked of the function itself.
    code = getattr(format_source, "__code__", None)
    if code is not None and "debug" in code.co_varnames[:code.co_argcount + code.co_kwonlyargcount]:
        source = format_source(callback, args, debug=handle._loop.get_debug())
    else:
        source = format_source(callback, args)
    context = {
        "message": "Exception in callback %s" % (source,),
        "exception": exc,
        "handle": handle,
    }
    if handle._source_traceback:
        context["source_traceback"] = handle._source_traceback
    handle._loop.call_exception_handler(context)


# --- the loop's turn, on the Pythons whose _run_once this reproduces ---

_MIN_SCHEDULED = asyncio.base_events._MIN_SCHEDULED_TIMER_HANDLES
_MIN_CANCELLED_FRACTION = asyncio.base_events._MIN_CANCELLED_TIMER_HANDLES_FRACTION
_MAXIMUM_SELECT_TIMEOUT = asyncio.base_events.MAXIMUM_SELECT_TIMEOUT
_orig_run_once = asyncio.base_events.BaseEventLoop._run_once
_orig_handle_run = _Handle._run


def _run_once(self):
    """BaseEventLoop._run_once as CPython 3.11–3.13 have it, with each
    handle timed and each task step reported."""
    global _step_start
    # Nothing ready: the loop is about to wait in select(), maybe for long.
    # What it did so far goes out now, so a stop or a crash while it waits
    # loses nothing, and a quiet program streams without waiting for the
    # watchdog's timer.
    ready = self._ready
    if _pending and not ready:
        _w.flush()

    scheduled = self._scheduled
    sched_count = len(scheduled)
    if (sched_count > _MIN_SCHEDULED and
            self._timer_cancelled_count / sched_count > _MIN_CANCELLED_FRACTION):
        # Remove delayed calls that were cancelled if their number is too high.
        new_scheduled = []
        for handle in scheduled:
            if handle._cancelled:
                handle._scheduled = False
            else:
                new_scheduled.append(handle)
        heapq.heapify(new_scheduled)
        self._scheduled = scheduled = new_scheduled
        self._timer_cancelled_count = 0
    else:
        # Remove delayed calls that were cancelled from head of queue.
        while scheduled and scheduled[0]._cancelled:
            self._timer_cancelled_count -= 1
            handle = heapq.heappop(scheduled)
            handle._scheduled = False

    timeout = None
    if ready or self._stopping:
        timeout = 0
    elif scheduled:
        # Compute the desired timeout.
        timeout = scheduled[0]._when - self.time()
        if timeout > _MAXIMUM_SELECT_TIMEOUT:
            timeout = _MAXIMUM_SELECT_TIMEOUT
        elif timeout < 0:
            timeout = 0

    event_list = self._selector.select(timeout)
    self._process_events(event_list)
    # Needed to break cycles when an exception occurs.
    event_list = None

    # Handle 'later' callbacks that are ready.
    end_time = self.time() + self._clock_resolution
    while scheduled:
        handle = scheduled[0]
        if handle._when >= end_time:
            break
        handle = heapq.heappop(scheduled)
        handle._scheduled = False
        ready.append(handle)

    # All currently ready callbacks run, but not those they schedule: those
    # run the next time round (after another I/O poll).
    ntodo = len(ready)
    if self._debug:
        _run_ready_debug(self, ready, ntodo)
        return
    popleft = ready.popleft
    now = _monotonic_ns()
    try:
        for _ in range(ntodo):
            handle = popleft()
            if handle._cancelled:
                continue
            start = _step_start = now
            kind = handle.__class__
            if kind is not _Handle and kind is not _TimerHandle:
                # A Handle of someone else's, with its own _run.
                handle._run()
                now = _monotonic_ns()
                if now - start > STALL_NS:
                    _report_stall(None, start, now)
                continue
            callback = handle._callback
            info = None
            if callback.__class__ is _function:
                # A plain function (a timer's, a done callback) is no task's step.
                if callback is _sleep_over and kind is _TimerHandle:
                    _sleep_timer_fires(handle)
            else:
                # _task_info(), inline for the common case: this runs for
                # every handle, and most are a plain Task's steps, whose
                # callback has a __self__ and which the probe made an Info
                # for (a try costs nothing until it catches).
                try:
                    task = callback.__self__
                    if task.__class__ is _Task:
                        info = task._tasklanes
                        if info is not None and info.quiet:
                            info = None
                    else:
                        task, info = _task_info(callback)
                except AttributeError:
                    task, info = _task_info(callback)
                if info is not None:
                    # Due since its sleep's timer fired (set once per sleep).
                    wake = info.wake_ns
                    if wake:
                        info.wake_ns = 0
                        if start - wake > BLOCKED_NS:
                            # _blocked(), inline.
                            _append("blocked\t%d\t%s" % (wake, info.id_text))
            # What Handle._run does, without its frame.
            try:
                handle._context.run(callback, *handle._args)
            except (SystemExit, KeyboardInterrupt):
                # sys.exit() (or Ctrl+C) in a task's step ends the program,
                # and the task is done with it, as _handle_run() reports it.
                if info is not None and task.done():
                    report_final(task, info, start, _monotonic_ns())
                raise
            except BaseException as exc:
                _callback_failed(handle, exc)
            now = _monotonic_ns()
            if info is not None:
                # _step_done(), inline for the common case.
                try:
                    if task.done():
                        report_final(task, info, start, now)
                    else:
                        # One line for the whole step: running from START,
                        # waiting from NOW.
                        _append("step\t%d\t%s\t%d" % (start, info.id_text, now))
                        waiter = task._fut_waiter
                        if waiter is not None and waiter.__class__ is not _Future:
                            _maybe_reveal(task, waiter)
                except Exception:
                    observe._probe_error()
            if now - start > STALL_NS:
                _report_stall(info, start, now)
    finally:
        _step_start = 0
    # Needed to break cycles when an exception occurs.
    handle = callback = task = info = None
    # At most a few lines per handle have gathered since the last turn, and
    # the watchdog writes them out meanwhile when the turn is long.
    if len(_pending) >= FLUSH_LINES:
        _w.flush()


def _run_ready_debug(self, ready, ntodo):
    """The ready handles in asyncio's debug mode: also says which were slow."""
    logger = asyncio.base_events.logger
    for _ in range(ntodo):
        handle = ready.popleft()
        if handle._cancelled:
            continue
        try:
            self._current_handle = handle
            t0 = self.time()
            _handle_run(handle)
            dt = self.time() - t0
            if dt >= self.slow_callback_duration:
                logger.warning("Executing %s took %.3f seconds",
                               asyncio.base_events._format_handle(handle), dt)
        finally:
            self._current_handle = None
    handle = None


# --- Handle._run wrapped, on any other Python (and in debug mode) ---

def _handle_run(self):
    global _step_start
    callback = self._callback
    task = info = None
    if callback.__class__ is not _function:
        task, info = _task_info(callback)
    elif callback is _sleep_over and self.__class__ is _TimerHandle:
        _sleep_timer_fires(self)
    start = _monotonic_ns()
    if info is not None and info.wake_ns:
        wake, info.wake_ns = info.wake_ns, 0
        if start - wake > BLOCKED_NS:
            _blocked(info, wake)
    _step_start = start
    try:
        _orig_handle_run(self)
    finally:
        _step_start = 0
        end = _monotonic_ns()
        try:
            if info is not None:
                _step_done(task, info, start, end)
                if len(_pending) >= FLUSH_LINES:
                    _w.flush()
            if end - start > STALL_NS:
                _report_stall(info, start, end)
        except Exception:
            observe._probe_error()


def _run_once_wrapped(self):
    # As in _run_once: flush before the loop may wait.
    if _pending and not self._ready:
        _w.flush()
    return _orig_run_once(self)


def own_turn_supported():
    return sys.version_info[:2] in OWN_TURN_VERSIONS


def install(writer, own_turn=None):
    """Times every handle; @own_turn (default: when supported) runs the
    loop's turn itself rather than wrapping Handle._run."""
    global _w, _append, _pending
    _w = writer
    _append = writer.append
    _pending = writer.pending
    if own_turn is None:
        own_turn = own_turn_supported()
    if own_turn:
        # Debug mode runs its handles through the wrapper.
        _Handle._run = _orig_handle_run
        asyncio.base_events.BaseEventLoop._run_once = _run_once
    else:
        _Handle._run = _handle_run
        asyncio.base_events.BaseEventLoop._run_once = _run_once_wrapped
