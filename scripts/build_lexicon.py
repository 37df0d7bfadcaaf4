"""Builds ``assistant/data/eng_fin.tsv.gz`` (English headword, part of speech, Finnish translations) from
FreeDict's English-Finnish dictionary as Debian ships it (``apt-get install dict-freedict-eng-fin``).

FreeDict eng-fin is generated from Wiktionary and licensed CC BY-SA 3.0; the built file carries the same
licence (see ``assistant/data/README.md``). Only what the bridge uses is kept: nouns, adjectives, verbs,
adverbs and proper nouns, with translations of at most three words.

Run: ``python scripts/build_lexicon.py [path/to/freedict-eng-fin]`` (default: /usr/share/dictd/freedict-eng-fin).
"""

from __future__ import annotations

import gzip
import re
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "assistant" / "data" / "eng_fin.tsv.gz"
KEPT = {"n": "n", "adj": "a", "v": "v", "adv": "a", "pn": "n"}  # nouns and modifiers name; verbs act
_B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
_HEAD = re.compile(r"^(.+?)(?:\s+/.*/)?\s*<([\w. ]+)>\s*$")
_SENSE = re.compile(r"^\s*\d+\.\s*(.*)$")


def _number(text: str) -> int:
    """dictd's index numbers: base 64, most significant digit first."""
    value = 0
    for ch in text:
        value = value * 64 + _B64.index(ch)
    return value


def _translations(body: str) -> list[str]:
    body = re.sub(r"\[\[|\]\]", "", body)
    body = re.sub(r"\s+\d+\.\s*$", "", body)  # a sense number glued to the end of the previous sense
    out = []
    for item in body.split(","):
        item = item.strip()
        if item and len(item.split()) <= 3 and not re.search(r"[()\[\]{}=;]", item) and not item.endswith("-"):
            out.append(item)
    return out


def build(source: Path) -> dict[tuple[str, str], list[str]]:
    with gzip.open(source.with_suffix(".dict.dz")) as packed:
        raw = packed.read()
    table: dict[tuple[str, str], list[str]] = {}
    for line in source.with_suffix(".index").read_text("utf-8").splitlines():
        head, offset, length = line.split("\t")
        if head.startswith("00database"):
            continue
        start = _number(offset)
        lines = raw[start:start + _number(length)].decode("utf-8").split("\n")
        match = _HEAD.match(lines[0])
        if not match or match.group(2) not in KEPT:
            continue
        key = (match.group(1).strip().lower(), KEPT[match.group(2)])
        for i, text in enumerate(lines[1:]):
            sense = _SENSE.match(text)
            if not sense and i:  # the first line after the headword, or a numbered sense; the rest are glosses
                continue
            for item in _translations(sense.group(1) if sense else text):
                if item not in table.setdefault(key, []):
                    table[key].append(item)
    return {k: v for k, v in table.items() if v}


def main() -> None:
    source = Path(sys.argv[1] if len(sys.argv) > 1 else "/usr/share/dictd/freedict-eng-fin")
    table = build(source)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with gzip.GzipFile(OUT, "wb", mtime=0) as out:  # mtime 0: the same input gives the same bytes
        for (head, pos), items in sorted(table.items()):
            out.write(f"{head}\t{pos}\t{'|'.join(items)}\n".encode())
    print(f"{len(table)} entries -> {OUT} ({OUT.stat().st_size // 1024} KiB)")


if __name__ == "__main__":
    main()
