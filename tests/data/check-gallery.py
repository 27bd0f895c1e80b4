#!/usr/bin/env python3
# check-gallery.py — data/presets/*.tasklanes, gallery.txt and
# presets.gresource.xml must name exactly the same presets, and each
# preset file must begin its [Preset] group with Format=1 and carry the
# English and Korean name and description.
#
#   check-gallery.py PRESETS-DIR
#
# Copyright 2026 The Tasklanes authors
# SPDX-License-Identifier: GPL-3.0-or-later

import os
import sys
import xml.etree.ElementTree as ET

REQUIRED_PRESET_KEYS = ('Format', 'Name', 'Name[ko]', 'Description',
                        'Description[ko]', 'Run', 'Category')
CATEGORIES = ('basics', 'patterns', 'errors', 'timeouts', 'blocking',
              'http', 'mistakes', 'comparison')


def gallery_names(directory):
    names = []
    with open(os.path.join(directory, 'gallery.txt'), encoding='utf-8') as f:
        for line in f:
            entry = line.strip()
            if entry and not entry.startswith('#'):
                names.append(entry)
    return names


def resource_names(directory):
    tree = ET.parse(os.path.join(directory, 'presets.gresource.xml'))
    names = []
    others = []
    for node in tree.iter('file'):
        text = (node.text or '').strip()
        if text.endswith('.tasklanes'):
            names.append(text[:-len('.tasklanes')])
        else:
            others.append(text)
    return names, others


def preset_group(path):
    """The [Preset] group's keys in file order (a small reader: the real
    parser has its own tests; this only checks the gallery's own habits)."""
    keys = []
    group = None
    with open(path, encoding='utf-8') as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith('#'):
                continue
            if line.startswith('['):
                group = line
                continue
            if group == '[Preset]' and '=' in line:
                key, value = line.split('=', 1)
                keys.append((key.strip(), value.strip()))
    return keys


def duplicates(names):
    seen, dups = set(), []
    for n in names:
        if n in seen:
            dups.append(n)
        seen.add(n)
    return dups


def main():
    directory = sys.argv[1]
    files = sorted(f[:-len('.tasklanes')] for f in os.listdir(directory)
                   if f.endswith('.tasklanes'))
    gallery = gallery_names(directory)
    resources, other_resources = resource_names(directory)
    problems = []

    for label, names in (('gallery.txt', gallery),
                         ('presets.gresource.xml', resources)):
        for name in duplicates(names):
            problems.append(f'{label} lists {name} twice')
        for name in sorted(set(files) - set(names)):
            problems.append(f'{name}.tasklanes is missing from {label}')
        for name in sorted(set(names) - set(files)):
            problems.append(f'{label} lists {name}, but there is no {name}.tasklanes')

    if 'gallery.txt' not in other_resources:
        problems.append('presets.gresource.xml does not list gallery.txt')
    if gallery and gallery[0] != 'sync-vs-async':
        problems.append(f'the gallery must open with sync-vs-async, not {gallery[0]}')

    for name in files:
        keys = preset_group(os.path.join(directory, name + '.tasklanes'))
        found = dict(keys)
        if not keys or keys[0] != ('Format', '1'):
            problems.append(f'{name}.tasklanes: [Preset] must begin with Format=1')
        for key in REQUIRED_PRESET_KEYS:
            if not found.get(key):
                problems.append(f'{name}.tasklanes: [Preset] has no {key}')
        if found.get('Category') not in CATEGORIES:
            problems.append(f'{name}.tasklanes: Category={found.get("Category")} is not a gallery chapter')

    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        return 1
    print(f'{len(files)} presets, listed in gallery.txt and presets.gresource.xml')
    return 0


if __name__ == '__main__':
    sys.exit(main())
