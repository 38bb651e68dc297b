#!/usr/bin/python3
"""to_dump.py CORPUS DUMPFILE: the articles of a gencorpus directory as a scriptindex dump
(one record per article: name=value lines, a value's further lines prefixed with '=', a blank
line between records), for bench/omega.index."""
import os
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchlib import iter_articles  # noqa: E402


def main(argv):
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    with open(argv[1] + ".tmp", "w", encoding="utf-8") as out:
        for a in iter_articles(argv[0]):
            body = a["body"].strip("\n").replace("\n", "\n=")
            out.write(f"id={a['id']}\ntitle={a['title']}\ndate={a['date'].replace('-', '')}\n"
                      f"vendors={'|'.join(a['vendors'])}\nmonth={a['month']}\nlang={a['lang']}\n"
                      f"url={a['url']}\nbody={body}\n\n")
    os.replace(argv[1] + ".tmp", argv[1])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
