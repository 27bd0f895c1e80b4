# test_probe.py — unit tests of the probe (python3 -m unittest)
#
# Copyright 2026 The Tasklanes authors
# SPDX-License-Identifier: GPL-3.0-or-later

import asyncio
import os
import subprocess
import sys
import tempfile
import textwrap
import types
import unittest

from tasklanes_probe import observe, origin, protocol

PROBE = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(observe.__file__))),
                     "tasklanes-probe.py")


def run_probed(program, files=None, status=0):
    """Runs @program under the probe: its report as a list of field lists."""
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
        process = subprocess.Popen([sys.executable, PROBE, main], env=env, pass_fds=(write_fd,),
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        os.close(write_fd)
        with os.fdopen(read_fd, "rb") as f:
            report = f.read().decode("utf-8")
        out, err = process.communicate(timeout=60)
        if process.returncode != status or b"tasklanes probe" in err:
            raise AssertionError("the program failed: %s" % err.decode())
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
        self.assertTrue(lines[0].startswith(b"tasklanes-probe\t1\t"))
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

    def test_self_is_left_out(self):
        class Client:
            async def get(self, path):
                pass

        coro = Client().get("/")
        self.assertEqual(observe.call_text(coro), "get('/')")
        coro.close()


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
