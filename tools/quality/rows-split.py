#!/usr/bin/env python3
"""Rewrites a text so that charrnn's contiguous 90/10 split validates the way char-rnn does.

    tools/quality/rows-split.py TEXT OUT [ROWS]

char-rnn (util/CharSplitLMMinibatchLoader.lua) views the text as ROWS rows (its batch size, 50 by
default), cuts every row into sequence-length columns and validates on the last columns: the
tail of each row, ROWS slices spread over the whole text, each between training text. charrnn
validates on the text's last 10 %, one contiguous block. OUT holds the first 90 % of each of the
ROWS equal rows, in order, then the last 10 % of each, in order, so that `charrnn train --text OUT`
trains and validates on char-rnn's kind of split (with 10 % of each row validating, where char-rnn
takes 5 %). Each row is a multiple of 10 characters long and the characters past the last row are dropped
(char-rnn also drops the end that does not fill a batch).
"""
import sys

if len(sys.argv) not in (3, 4):
    sys.exit(__doc__)
rows = int(sys.argv[3]) if len(sys.argv) == 4 else 50
if rows < 1:
    sys.exit(f"ROWS must be at least 1; got {rows}")
with open(sys.argv[1], encoding="utf-8", newline=None) as f:
    text = f.read()
width = len(text) // rows // 10 * 10  # a multiple of 10, so that the 90/10 split falls on a row's edge
if width < 10:
    sys.exit(f"each of the ROWS rows must hold at least 10 characters; {len(text):,} characters in {rows} rows hold {width}")
train_width = width // 10 * 9
parts = [text[r * width:(r + 1) * width] for r in range(rows)]
with open(sys.argv[2], "w", encoding="utf-8", newline="\n") as f:
    f.write("".join(p[:train_width] for p in parts))
    f.write("".join(p[train_width:] for p in parts))
print(f"{rows} rows of {width} characters: training {rows * train_width:,}, validation "
      f"{rows * (width - train_width):,} (the last {width - train_width:,} of each row)")
