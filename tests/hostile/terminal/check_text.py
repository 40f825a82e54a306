#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Is a file terminal-safe text?  check_text.py [--xml] FILE...

Fails (exit 1, one line per problem) when a file holds a byte a terminal acts on: < 0x20
other than newline and tab, DEL, a C1 control (U+0080-U+009F), a line separator or a bidi
override (the code points sysrec escapes), or bytes that are not UTF-8.  --xml: the file must
also parse as XML.
"""
import sys
import xml.etree.ElementTree as ET

HIDDEN = set(range(0x80, 0xa0)) | {0x2028, 0x2029, 0xfffe, 0xffff} | \
    set(range(0x202a, 0x202f)) | set(range(0x2066, 0x206a))


def check(path, xml):
    data = open(path, 'rb').read()
    for lineno, line in enumerate(data.split(b'\n'), 1):
        bad = [b for b in line if (b < 0x20 and b != 0x09) or b == 0x7f]
        if bad:
            return '%s:%d: raw control byte 0x%02x: %r' % (path, lineno, bad[0], line[:300])
        try:
            text = line.decode('utf-8')
        except UnicodeDecodeError as e:
            return '%s:%d: not UTF-8 (%s): %r' % (path, lineno, e.reason, line[:300])
        hidden = [c for c in text if ord(c) in HIDDEN]
        if hidden:
            return '%s:%d: raw U+%04X: %r' % (path, lineno, ord(hidden[0]), line[:300])
    if xml:
        try:
            ET.fromstring(data)
        except ET.ParseError as e:
            return '%s: not XML: %s' % (path, e)
    return None


def main():
    xml = '--xml' in sys.argv[1:]
    errors = [e for e in (check(p, xml) for p in sys.argv[1:] if p != '--xml') if e]
    for e in errors:
        print(e)
    return 1 if errors else 0


if __name__ == '__main__':
    sys.exit(main())
