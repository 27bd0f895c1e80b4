# Tasklanes probe: watches a real asyncio program and reports what it does
# to Tasklanes over an inherited pipe (see docs/python-protocol.md).
#
# Copyright 2026 The Tasklanes authors
# SPDX-License-Identifier: GPL-3.0-or-later

PROTOCOL_VERSION = 2
