# test_probe.py — unit tests of the probe (python3 -m unittest)
#
# Copyright 2026 The Tasklanes authors
# SPDX-License-Identifier: GPL-3.0-or-later

import asyncio
import os
import unittest

from tasklanes_probe import observe, protocol


class EscapeTest(unittest.TestCase):
    def test_fields_hold_no_tab_or_newline(self):
        self.assertEqual(protocol.escape("a\tb\nc\\d\re"), "a\\tb\\nc\\\\d\\re")

    def test_none_and_a_lone_dash(self):
        self.assertEqual(protocol.escape(None), "-")
        self.assertEqual(protocol.escape("-"), "\\-")

    def test_long_text_is_cut(self):
        self.assertEqual(len(protocol.escape("x" * 5000)), protocol.MAX_TEXT)


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

    def test_self_is_left_out(self):
        class Client:
            async def get(self, path):
                pass

        coro = Client().get("/")
        self.assertEqual(observe.call_text(coro), "get('/')")
        coro.close()


if __name__ == "__main__":
    unittest.main()
