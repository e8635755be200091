#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# unescape-argv.py: decode an EXEC_ARGV string (stdin) into its exact arguments, printed as hex of NUL-terminated bytes.
import sys

ESC = {"n": 10, "t": 9, "r": 13, "a": 7, "b": 8, "f": 12, "v": 11, "e": 27, '"': 34, "\\": 92}


def parse(s):
    args, i, n = [], 0, len(s)
    while i < n:
        if s[i] == " ":
            i += 1
            continue
        out = bytearray()
        if s[i] != '"':
            while i < n and s[i] != " ":
                out += s[i].encode()
                i += 1
        else:
            i += 1
            while s[i] != '"':
                c = s[i]
                if c != "\\":
                    out += c.encode()
                    i += 1
                    continue
                k = s[i + 1]
                if k == "x":
                    out.append(int(s[i + 2:i + 4], 16))
                    i += 4
                elif k == "u":
                    out += chr(int(s[i + 2:i + 6], 16)).encode()
                    i += 6
                else:
                    out.append(ESC[k])
                    i += 2
            i += 1
        args.append(bytes(out))
    return args


text = sys.stdin.buffer.read().decode("utf-8")
if text.endswith("\n"):
    text = text[:-1]
print("".join(a.hex() + "00" for a in parse(text)))
