# test_probe.py — unit tests of the probe (python3 -m unittest)
#
# Copyright 2026 The Tasklanes authors
# SPDX-License-Identifier: GPL-3.0-or-later

import asyncio
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
import types
import unittest

from tasklanes_probe import observe, origin, protocol, steps

PROBE = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(observe.__file__))),
                     "tasklanes-probe.py")


# Runs the probe as tasklanes-probe.py does, with the loop's turn left to
# asyncio and Handle._run wrapped instead, as on a Python whose _run_once
# the probe does not reproduce.
WRAPPED_PROBE = """
import sys
sys.path[0] = %r
from tasklanes_probe import steps
steps.OWN_TURN_VERSIONS = ()
from tasklanes_probe.main import main
sys.exit(main(sys.argv[1:]))
""" % (os.path.dirname(PROBE),)


def run_probed(program, files=None, status=0, wrapped=False, stderr=None):
    """Runs @program under the probe: its report as a list of field lists.
    @wrapped: with Handle._run wrapped rather than the loop's own turn.
    @stderr: a list the program's stderr is appended to."""
    with tempfile.TemporaryDirectory() as tmp:
        for name, text in (files or {}).items():
            path = os.path.join(tmp, name)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w") as f:
                f.write(textwrap.dedent(text))
        main = os.path.join(tmp, "prog", "main.py")
        os.makedirs(os.path.dirname(main), exist_ok=True)
        with open(main, "w") as f:
            f.write(textwrap.dedent(program))
        read_fd, write_fd = os.pipe()
        env = dict(os.environ, TASKLANES_PROBE_FD=str(write_fd),
                   PYTHONPATH=os.path.join(tmp, "lib", "site-packages"))
        probe = ["-c", WRAPPED_PROBE] if wrapped else [PROBE]
        process = subprocess.Popen([sys.executable] + probe + [main], env=env, pass_fds=(write_fd,),
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        os.close(write_fd)
        with os.fdopen(read_fd, "rb") as f:
            report = f.read().decode("utf-8")
        out, err = process.communicate(timeout=60)
        if process.returncode != status or b"tasklanes probe" in err:
            raise AssertionError("the program failed: %s" % err.decode())
        if stderr is not None:
            stderr.append(err.decode())
        return [line.split("\t") for line in report.splitlines()]


class EscapeTest(unittest.TestCase):
    def test_fields_hold_no_tab_or_newline(self):
        self.assertEqual(protocol.escape("a\tb\nc\\d\re"), "a\\tb\\nc\\\\d\\re")

    def test_none_and_a_lone_dash(self):
        self.assertEqual(protocol.escape(None), "-")
        self.assertEqual(protocol.escape("-"), "\\-")

    def test_long_text_is_cut(self):
        self.assertEqual(len(protocol.escape("x" * 5000)), protocol.MAX_TEXT)

    def test_plain_text_is_kept_and_other_values_are_text(self):
        self.assertEqual(protocol.escape("fetch_user(1, 'é')"), "fetch_user(1, 'é')")
        self.assertEqual(protocol.escape(42), "42")
        self.assertEqual(protocol.escape("a\u2028b"), "a\u2028b")


class WriterTest(unittest.TestCase):
    def test_lines_are_bounded_and_flushed(self):
        read_fd, write_fd = os.pipe()
        writer = protocol.Writer(write_fd)
        writer.header()
        writer.emit("ok", 1, 2, "é" * 5000)
        writer.close()
        with os.fdopen(read_fd, "rb") as f:
            lines = f.read().split(b"\n")
        self.assertTrue(lines[0].startswith(b"tasklanes-probe\t2\t"))
        self.assertLessEqual(len(lines[1]) + 1, protocol.MAX_LINE)
        lines[1].decode("utf-8")

    def test_a_closed_reader_does_not_fail_the_program(self):
        read_fd, write_fd = os.pipe()
        os.close(read_fd)
        writer = protocol.Writer(write_fd)
        writer.emit("x" * 10)
        writer.flush()
        writer.close()


class CallTextTest(unittest.TestCase):
    def test_arguments_as_written(self):
        async def fetch_user(i, *, retries=3):
            pass

        coro = fetch_user(1, retries=2)
        self.assertEqual(observe.call_text(coro), "fetch_user(1, retries=2)")
        coro.close()

    def test_each_call_reads_its_own_arguments(self):
        async def fetch_user(i, *rest, retries=3):
            pass

        first, second = fetch_user(1, "a", retries=2), fetch_user(2)
        self.assertEqual(observe.call_text(first), "fetch_user(1, 'a', retries=2)")
        self.assertEqual(observe.call_text(second), "fetch_user(2, retries=3)")
        first.close()
        second.close()

    def test_calls_of_numbers_read_as_the_general_way_writes_them(self):
        # Calls whose arguments are all numbers, booleans or None are written
        # from a template per function; what the template cannot write goes
        # the general way, with the same result.
        async def one(n):
            pass

        async def several(a, b=2.5, *, flag=None):
            pass

        cases = [(one(7), "one(7)"), (one(None), "one(None)"), (one(True), "one(True)"),
                 (one("x"), "one('x')"), (one(10 ** 50), "one(%s…)" % ("1" + "0" * 38)),
                 (several(1), "several(1, 2.5, flag=None)"),
                 (several(-1, 10 ** 20, flag=False), "several(-1, %d, flag=False)" % 10 ** 20),
                 (several(1, [2]), "several(1, [2], flag=None)"),
                 (several(10 ** 30, 10 ** 30, flag=10 ** 30),
                  "several(%d, %d, flag=%d)" % (10 ** 30, 10 ** 30, 10 ** 30))]
        for coro, text in cases:
            self.assertEqual(observe.call_text(coro), text)
            coro.close()

    def test_huge_numbers_are_cut_not_an_error(self):
        async def count(n):
            pass

        coro = count(10 ** 5000)
        self.assertEqual(observe.call_text(coro), "count(<int>)")
        coro.close()
        self.assertEqual(observe.short_repr(10 ** 5000), "<int>")

    def test_objects_by_their_class_and_coroutines_by_their_call(self):
        async def fetch(path):
            pass

        class Session:
            pass

        coro = fetch("/stall")
        self.assertEqual(observe.short_repr(coro), "fetch('/stall')")
        self.assertEqual(observe.short_repr(Session()), "<Session>")
        coro.close()

    def test_a_long_result_reads_as_its_whole_repr_cut(self):
        # Only the first items of a long list or tuple are written out, and
        # the text is the same as that of the whole one, cut.
        def cut(text, limit):
            return text if len(text) <= limit else text[:limit - 1] + "…"

        values = [list(range(10_000)), tuple(range(10_000)), [0] * 68, [0] * 69, ["x"] * 500,
                  (None,) * 15, list(range(14)), [[1, 2]] * 100]
        for value in values:
            for limit in (observe.MAX_RESULT, observe.MAX_ARG):
                self.assertEqual(observe.short_repr(value, limit), cut(repr(value), limit))

    def test_self_is_left_out(self):
        class Client:
            async def get(self, path):
                pass

        coro = Client().get("/")
        self.assertEqual(observe.call_text(coro), "get('/')")
        coro.close()


    def test_functions_that_share_a_wrapper_keep_their_own_names(self):
        # functools.wraps gives each wrapped function its own name, but all
        # of them run the wrapper's one code object.
        import functools

        def logged(func):
            @functools.wraps(func)
            async def wrapper(*args, **kwargs):
                return await func(*args, **kwargs)
            return wrapper

        @logged
        async def fetch(i):
            pass

        @logged
        async def store(i):
            pass

        for coro, text in [(fetch(1), "fetch(1)"), (store(2), "store(2)"), (fetch(3), "fetch(3)")]:
            self.assertEqual(observe.call_text(coro), text)
            coro.close()

    def test_tasks_of_wrapped_functions_keep_their_own_names(self):
        lines = run_probed("""
            import asyncio
            import functools

            def logged(func):
                @functools.wraps(func)
                async def wrapper(i):
                    return await func(i)
                return wrapper

            @logged
            async def fetch(i):
                return i

            @logged
            async def store(i):
                return i

            async def main():
                await asyncio.gather(fetch(1), store(2))
                await asyncio.create_task(store(3))

            asyncio.run(main())
        """)
        tasks = {line[9]: line[8] for line in lines if line[0] == "task"}
        self.assertEqual(tasks.get("fetch(1)"), "fetch", tasks)
        self.assertEqual(tasks.get("store(2)"), "store", tasks)
        self.assertEqual(tasks.get("store(3)"), "store", tasks)


class DescribeFrameTest(unittest.TestCase):
    def test_a_frame_without_a_line_number(self):
        # sys._current_frames() can catch the loop thread where its frame
        # has no line (f_lineno None): the call is still named by its file.
        code = types.SimpleNamespace(co_filename="/nowhere/prog.py")
        frame = types.SimpleNamespace(f_code=code, f_lineno=None, f_back=None)
        self.assertEqual(observe.describe_frame(frame), "prog.py:0")


class OriginTest(unittest.TestCase):
    def setUp(self):
        self.saved = origin._program
        origin.set_program("/home/me/prog/main.py")

    def tearDown(self):
        origin.set_program(self.saved)

    def test_who_made_it(self):
        self.assertEqual(origin.file_kind("/home/me/prog/main.py"), origin.OWN)
        self.assertEqual(origin.file_kind("/home/me/prog/helpers.py"), origin.OWN)
        self.assertEqual(origin.file_kind("/usr/lib/python3/dist-packages/aiohttp/connector.py"),
                         origin.LIBRARY)
        self.assertEqual(origin.file_kind(asyncio.tasks.__file__), origin.PASS)
        self.assertEqual(origin.file_kind(observe.__file__), origin.PASS)

    def test_asyncio_internal_helpers(self):
        import asyncio.subprocess
        # Private helpers of the standard library are its workings…
        self.assertTrue(origin.asyncio_internal(asyncio.subprocess.Process._read_stream.__code__))
        self.assertTrue(origin.asyncio_internal(asyncio.subprocess.Process._noop.__code__))
        # …its public functions and anyone else's private ones are not.
        self.assertFalse(origin.asyncio_internal(asyncio.sleep.__code__))
        self.assertFalse(origin.asyncio_internal(OriginTest._private.__code__))
        self.assertTrue(origin.in_stdlib(asyncio.subprocess.Process.communicate.__code__))
        self.assertFalse(origin.in_stdlib(OriginTest._private.__code__))

    @staticmethod
    def _private():
        pass


class LibraryTasksTest(unittest.TestCase):
    LIBRARY = {
        "lib/site-packages/fakelib/__init__.py": """
            import asyncio

            async def _housekeeping():
                await asyncio.sleep(0.01)

            async def _download():
                await asyncio.sleep(0.02)
                return "data"

            async def request():
                # Made and awaited inside the library: never drawn.
                await asyncio.create_task(_housekeeping())
                return 200

            def start_download():
                # Made inside the library, handed to the program.
                return asyncio.ensure_future(_download())
        """,
    }

    def test_hidden_unless_the_program_awaits_them(self):
        lines = run_probed("""
            import asyncio
            import fakelib

            async def mine():
                await asyncio.sleep(0.01)

            async def main():
                assert await fakelib.request() == 200
                await asyncio.create_task(mine())
                download = fakelib.start_download()
                await asyncio.sleep(0)
                assert await download == "data"

            asyncio.run(main())
        """, self.LIBRARY)
        tasks = {line[2]: line[8] for line in lines if line[0] == "task"}
        self.assertIn("main", tasks.values())
        self.assertIn("mine", tasks.values())
        self.assertNotIn("_housekeeping", tasks.values())
        download = [ident for ident, name in tasks.items() if name == "_download"]
        self.assertEqual(len(download), 1, tasks)
        ends = [line for line in lines if line[0] == "ok" and line[2] == download[0]]
        self.assertEqual(len(ends), 1)
        self.assertEqual(ends[0][3], "'data'")
        # Nothing refers to an instance it never announced.
        for line in lines:
            if line[0] in ("running", "waiting", "step", "ok", "taken", "blocked"):
                self.assertIn(line[2], tasks, line)


class MadeByACombinatorTest(unittest.TestCase):
    # Tasks a gather or wait_for makes take the line of that call without
    # looking up the stack again; the line must be the one a look-up gives.
    LIBRARY = {
        "lib/site-packages/gatherlib/__init__.py": """
            import asyncio

            async def _part(i):
                await asyncio.sleep(0)
                return i

            async def both():
                return await asyncio.gather(_part(1), _part(2))
        """,
    }

    def test_the_line_of_the_call_that_made_them(self):
        lines = run_probed("""
            import asyncio
            import gatherlib

            async def fetch(i):
                await asyncio.sleep(0)
                return i

            async def main():
                await asyncio.gather(fetch(1), fetch(2))         # line 10
                await asyncio.wait_for(fetch(3), timeout=5)      # line 11
                task = asyncio.create_task(fetch(4))             # line 12
                await task
                assert await gatherlib.both() == [1, 2]

            asyncio.run(main())
        """, self.LIBRARY)
        tasks = [line for line in lines if line[0] == "task"]
        by_label = {line[9]: int(line[7]) for line in tasks}
        # (The program's text starts with a newline: line 1 is empty.)
        self.assertEqual(by_label["fetch(1)"], 10, tasks)
        self.assertEqual(by_label["fetch(2)"], 10, tasks)
        self.assertEqual(by_label["fetch(3)"], 11, tasks)
        self.assertEqual(by_label["fetch(4)"], 12, tasks)
        # The library's own gather and its parts stay out of the picture.
        self.assertNotIn("_part(1)", by_label, tasks)
        self.assertNotIn("_part(2)", by_label, tasks)


class FlushTest(unittest.TestCase):
    def test_nothing_is_lost_to_os_exit(self):
        lines = run_probed("""
            import asyncio
            import os

            async def quick():
                return 5

            async def main():
                task = asyncio.create_task(quick())
                await asyncio.sleep(0)
                await asyncio.sleep(0)
                assert task.done()
                os._exit(3)

            asyncio.run(main())
        """, status=3)
        quick = [line[2] for line in lines if line[0] == "task" and line[8] == "quick"]
        self.assertEqual(len(quick), 1)
        self.assertIn(["ok", quick[0], "5"], [[line[0], line[2], line[3]] for line in lines if line[0] == "ok"])

    def test_a_waiting_loop_has_written_everything(self):
        # While the loop waits, everything it did is in the pipe already:
        # the program reads its own report while it sleeps.
        read_fd, write_fd = os.pipe()
        os.set_blocking(read_fd, False)
        with tempfile.TemporaryDirectory() as tmp:
            program = os.path.join(tmp, "main.py")
            with open(program, "w") as f:
                f.write(textwrap.dedent("""
                    import asyncio
                    import sys

                    async def done_early():
                        return "early"

                    async def main():
                        await asyncio.create_task(done_early())
                        print("waiting", flush=True)
                        await asyncio.sleep(1.5)

                    asyncio.run(main())
                """))
            env = dict(os.environ, TASKLANES_PROBE_FD=str(write_fd))
            process = subprocess.Popen([sys.executable, PROBE, program], env=env, pass_fds=(write_fd,),
                                       stdout=subprocess.PIPE)
            os.close(write_fd)
            self.assertEqual(process.stdout.readline(), b"waiting\n")
            # Well under the watchdog's period would not do on a busy
            # machine; well under the sleep does.
            import time
            time.sleep(0.3)
            report = os.read(read_fd, 1 << 20).decode()
            process.wait(timeout=60)
            process.stdout.close()
            os.close(read_fd)
        self.assertIn("'early'", report)


class TracebackTest(unittest.TestCase):
    PROGRAM = """
        import asyncio

        async def fails():
            await asyncio.sleep(0)
            raise ValueError("inner")

        async def main():
            try:
                await asyncio.wait_for(fails(), 1)
            except ValueError as error:
                raise KeyError("outer") from error

        asyncio.run(main())
    """

    def test_the_probe_s_frames_are_left_out(self):
        stderr = []
        lines = run_probed(self.PROGRAM, status=1, stderr=stderr)
        printed = stderr[0]
        # As python3 prints it: both exceptions, the program's frames and
        # asyncio's, none of the probe's (asyncio.run() goes through it).
        self.assertTrue(printed.startswith("Traceback (most recent call last):"), printed)
        self.assertIn("The above exception was the direct cause of the following exception:", printed)
        self.assertIn('raise ValueError("inner")', printed)
        self.assertIn("asyncio/runners.py", printed)
        tasks = [line[3] for line in lines if line[0] == "traceback"]
        self.assertTrue(tasks, lines)
        for text in [printed] + tasks:
            self.assertNotIn("tasklanes_probe", text)
            self.assertNotIn("tasklanes-probe", text)
            self.assertNotIn("runpy", text)


class CallbackTasksTest(unittest.TestCase):
    PROGRAM = """
        import asyncio
        import threading

        async def here():
            return 1

        async def elsewhere():
            return 2

        def other_thread():
            loop = asyncio.new_event_loop()
            loop.call_soon(lambda: loop.create_task(elsewhere()))
            loop.call_later(0.02, loop.stop)
            loop.run_forever()
            loop.close()

        async def main():
            loop = asyncio.get_running_loop()
            loop.call_soon(lambda: loop.create_task(here()))
            thread = threading.Thread(target=other_thread)
            thread.start()
            await asyncio.sleep(0.1)
            thread.join()

        asyncio.run(main())
    """

    def test_a_callback_s_task_belongs_to_its_own_loop_s_section(self):
        lines = run_probed(self.PROGRAM)
        tasks = {line[8]: line for line in lines if line[0] == "task"}
        # Made by a callback of main()'s loop: main()'s.
        self.assertIn("here", tasks)
        self.assertEqual(tasks["here"][3], tasks["main"][2])
        # Made on another thread's loop meanwhile: never drawn as main()'s.
        self.assertNotEqual(tasks.get("elsewhere", [None] * 4)[3], tasks["main"][2])


class StepsTest(unittest.TestCase):
    PROGRAM = """
        import asyncio
        import time

        async def quick(i):
            await asyncio.sleep(0.01 * i)
            return i

        async def fails():
            await asyncio.sleep(0)
            raise ValueError("no")

        async def forever():
            await asyncio.sleep(10)

        async def blocks():
            await asyncio.sleep(0)
            time.sleep(0.15)

        def plain_callback(box):
            box.append(1)

        async def main():
            box = []
            asyncio.get_running_loop().call_soon(plain_callback, box)
            assert await asyncio.gather(*(quick(i) for i in range(5))) == [0, 1, 2, 3, 4]
            failing = asyncio.create_task(fails())
            waiting = asyncio.create_task(forever())
            await asyncio.gather(failing, blocks(), return_exceptions=True)
            waiting.cancel()
            await asyncio.sleep(0)
            assert box == [1]

        asyncio.run(main())
    """

    @staticmethod
    def shape(lines):
        """The report without its times: kinds, ids, texts."""
        # (A traceback names the program's temporary file.)
        timed = {"step": (1, 3), "stall": (1, 3), "deadline": (1, 3), "traceback": (1, 3)}
        out = []
        for line in lines:
            if line[0] in ("tasklanes-probe", "blocked"):
                continue
            drop = timed.get(line[0], (1,))
            out.append(tuple(field for i, field in enumerate(line) if i not in drop))
        return sorted(out)

    def test_the_own_turn_and_the_wrapper_report_the_same(self):
        own = run_probed(self.PROGRAM)
        wrapped = run_probed(self.PROGRAM, wrapped=True)
        self.assertEqual(self.shape(own), self.shape(wrapped))
        for lines in (own, wrapped):
            names = {line[2]: line[8] for line in lines if line[0] == "task"}
            stalls = [line for line in lines if line[0] == "stall"]
            self.assertEqual([names.get(line[2]) for line in stalls], ["blocks"], stalls)
            self.assertIn("time.sleep(0.15)", stalls[0][4])
            self.assertGreaterEqual(int(stalls[0][3]), 140_000_000)   # ns
            steps_of = [line for line in lines if line[0] == "step"]
            for line in steps_of:
                self.assertLessEqual(int(line[1]), int(line[3]), line)
            ends = {line[2]: line[0] for line in lines if line[0] in ("ok", "failed", "cancelled")}
            kinds = {names[ident]: kind for ident, kind in ends.items() if ident in names}
            self.assertEqual(kinds["fails"], "failed")
            self.assertEqual(kinds["forever"], "cancelled")
            self.assertEqual(kinds["quick"], "ok")

    def test_sys_exit_in_a_task_ends_it_on_either_path(self):
        program = """
            import asyncio
            import sys

            async def main():
                await asyncio.sleep(0)
                sys.exit(3)

            asyncio.run(main())
        """
        for wrapped in (False, True):
            lines = run_probed(program, status=3, wrapped=wrapped)
            failed = [line for line in lines if line[0] == "failed"]
            self.assertEqual(len(failed), 1, (wrapped, lines))
            self.assertEqual(failed[0][3], "SystemExit: 3", (wrapped, failed))

    def test_a_sleeper_due_while_the_loop_is_held_is_drawn_blocked(self):
        # The due time is read off the sleep's timer as the loop's turn runs
        # it; the task is blocked from then until its step runs.
        program = """
            import asyncio
            import time

            async def sleeper():
                await asyncio.sleep(0.05)
                return "woke"

            async def holder():
                await asyncio.sleep(0.01)
                time.sleep(0.3)

            async def main():
                await asyncio.gather(sleeper(), holder())

            asyncio.run(main())
        """
        for wrapped in (False, True):
            lines = run_probed(program, wrapped=wrapped)
            names = {line[2]: line[8] for line in lines if line[0] == "task"}
            blocked = [line for line in lines if line[0] == "blocked"]
            self.assertEqual([names.get(line[2]) for line in blocked], ["sleeper"], (wrapped, blocked))
            slept = next(int(line[3]) for line in lines if line[0] == "step" and names.get(line[2]) == "sleeper")
            ran = next(int(line[1]) for line in lines if line[0] == "running" and names.get(line[2]) == "sleeper")
            due = int(blocked[0][1])
            # Times are nanoseconds: due 50 ms after it began to sleep, run
            # only when the 300 ms hold was over.
            self.assertGreaterEqual(due - slept, 49_000_000, wrapped)
            self.assertLess(due - slept, 150_000_000, wrapped)
            self.assertGreaterEqual(ran - due, 150_000_000, wrapped)

    def test_a_failing_callback_goes_to_the_exception_handler(self):
        program = """
            import asyncio

            def boom():
                raise ValueError("from a callback")

            seen = []

            async def main():
                loop = asyncio.get_running_loop()
                loop.call_soon(boom)
                await asyncio.sleep(0.01)
                loop.set_exception_handler(lambda loop, context: seen.append(context))
                loop.call_soon(boom)
                await asyncio.sleep(0.01)
                return "still running"

            assert asyncio.run(main()) == "still running"
            [context] = seen
            assert context["message"].startswith("Exception in callback boom()"), context
            assert isinstance(context["exception"], ValueError), context
            assert isinstance(context["handle"], asyncio.Handle), context
        """
        for wrapped in (False, True):
            err = []
            lines = run_probed(program, wrapped=wrapped, stderr=err)
            self.assertIn("Exception in callback boom()", err[0])
            self.assertIn("ValueError: from a callback", err[0])
            self.assertIn("'still running'", [line[3] for line in lines if line[0] == "ok"])

    def test_a_failing_callback_is_described_on_any_python(self):
        # asyncio's helper that names a callback takes a debug flag on some
        # Pythons and refuses it on others (3.12.1): the probe asks it.
        import asyncio.format_helpers as helpers

        def two_arguments(func, args):
            return "%s, by the helper without a flag" % (func.__name__,)

        def with_debug(func, args, *, debug):
            return "%s, debug=%r" % (func.__name__, debug)

        def boom():
            pass

        original = helpers._format_callback_source
        loop = asyncio.new_event_loop()
        loop.set_debug(True)
        seen = []
        loop.set_exception_handler(lambda loop, context: seen.append(context["message"]))
        try:
            for helper in (two_arguments, with_debug):
                helpers._format_callback_source = helper
                steps._callback_failed(asyncio.Handle(boom, (), loop), ValueError("x"))
        finally:
            helpers._format_callback_source = original
            loop.close()
        self.assertEqual(seen, ["Exception in callback boom, by the helper without a flag",
                                "Exception in callback boom, debug=True"])

    def test_debug_mode_still_reports_steps_and_slow_callbacks(self):
        program = """
            import asyncio
            import time

            async def slow():
                await asyncio.sleep(0)
                time.sleep(0.15)
                return "slow"

            async def main():
                return await asyncio.create_task(slow())

            assert asyncio.run(main(), debug=True) == "slow"
        """
        err = []
        lines = run_probed(program, stderr=err)
        self.assertRegex(err[0], r"Executing <Task .*slow\(\).*> took 0\.1\d+ seconds")
        names = {line[2]: line[8] for line in lines if line[0] == "task"}
        slow = [ident for ident, name in names.items() if name == "slow"]
        self.assertEqual(len(slow), 1)
        self.assertIn(["ok", slow[0], "'slow'"], [line[0:1] + line[2:4] for line in lines])
        self.assertIn(slow[0], [line[2] for line in lines if line[0] == "step"])
        self.assertIn(slow[0], [line[2] for line in lines if line[0] == "stall"])

    def test_the_turn_is_reproduced_only_where_it_matches(self):
        # On a Python not listed, asyncio's own _run_once runs.
        self.assertEqual(steps.own_turn_supported(),
                         sys.version_info[:2] in ((3, 11), (3, 12), (3, 13)))


class InstallTest(unittest.TestCase):
    def test_the_installed_probe_is_byte_compiled(self):
        # As `meson install --destdir STAGE` runs it: the files compiled in
        # STAGE, then used from there without compiling them again.
        source = os.path.dirname(PROBE)
        script = os.path.join(os.path.dirname(os.path.dirname(source)), "build-aux", "compile-probe.py")
        with tempfile.TemporaryDirectory() as stage:
            final = "/usr/share/tasklanes/python"
            installed = os.path.join(stage, final.lstrip("/"))
            shutil.copytree(source, installed, ignore=shutil.ignore_patterns("__pycache__"))
            subprocess.run([sys.executable, script, final], check=True, env=dict(os.environ, DESTDIR=stage))
            tag = sys.implementation.cache_tag
            for name in ("main", "observe", "steps", "protocol"):
                self.assertTrue(os.path.exists(os.path.join(installed, "tasklanes_probe", "__pycache__",
                                                            "%s.%s.pyc" % (name, tag))), name)
            program = os.path.join(stage, "main.py")
            with open(program, "w") as f:
                f.write("import asyncio\nasync def main():\n    pass\nasyncio.run(main())\n")
            run = subprocess.run([sys.executable, "-v", os.path.join(installed, "tasklanes-probe.py"), program],
                                 env=dict(os.environ, PYTHONDONTWRITEBYTECODE="1"),
                                 capture_output=True, text=True, timeout=60)
            self.assertEqual(run.returncode, 0, run.stderr[-2000:])
            pyc = os.path.join(installed, "tasklanes_probe", "__pycache__", "observe.%s.pyc" % tag)
            self.assertIn("code object from '%s'" % pyc, run.stderr)

    def test_a_missing_directory_is_named(self):
        source = os.path.dirname(PROBE)
        script = os.path.join(os.path.dirname(os.path.dirname(source)), "build-aux", "compile-probe.py")
        with tempfile.TemporaryDirectory() as stage:
            run = subprocess.run([sys.executable, script, "/usr/share/tasklanes/python"],
                                 env=dict(os.environ, DESTDIR=stage), capture_output=True, text=True)
        self.assertNotEqual(run.returncode, 0)
        self.assertIn("/usr/share/tasklanes/python is not a directory", run.stderr)


class RelativePathTest(unittest.TestCase):
    def test_a_program_named_relative_to_the_folder_still_has_its_lines(self):
        with tempfile.TemporaryDirectory() as tmp:
            with open(os.path.join(tmp, "prog.py"), "w") as f:
                f.write("import asyncio\n\nasync def main():\n    pass\n\nasyncio.run(main())\n")
            read_fd, write_fd = os.pipe()
            run = subprocess.run([sys.executable, PROBE, "prog.py"], cwd=tmp, pass_fds=(write_fd,),
                                 env=dict(os.environ, TASKLANES_PROBE_FD=str(write_fd)),
                                 capture_output=True, text=True, timeout=60)
            os.close(write_fd)
            with os.fdopen(read_fd) as f:
                lines = [line.split("\t") for line in f.read().splitlines()]
        self.assertEqual(run.returncode, 0, run.stderr)
        [task] = [line for line in lines if line[0] == "task"]
        self.assertEqual(task[7], "6")     # asyncio.run(main()), as in the file


class NeverAwaitedTest(unittest.TestCase):
    def test_the_line_that_dropped_it(self):
        lines = run_probed("""
            import asyncio

            async def save(record):
                pass

            async def main():
                save("forgotten")
                await asyncio.sleep(0)

            asyncio.run(main())
        """)
        ghost = [line for line in lines if line[0] == "task" and line[8] == "save"]
        self.assertEqual(len(ghost), 1)
        self.assertEqual(ghost[0][7], "8")
        self.assertEqual(ghost[0][9], "save('forgotten')")


if __name__ == "__main__":
    unittest.main()
