#!/usr/bin/python3
"""check.py: validate the bilingual glossary (glossary/en-ru.txt) before it is compiled in.

usage: check.py [--nsearch PATH] [--vendors FILE] [--min-entries N] [GLOSSARY]

The format is described at the top of glossary/en-ru.txt. Every rule is checked on every line
and each broken rule costs one line on stderr, `FILE:LINE: what is wrong`; the last line on
stdout counts the entries and forms. Exit 0 when the file is good, 1 when it has errors, 2 when
it could not be checked (no such file, no nsearch to analyse with, a bad option).

What is checked, on the text:
  - UTF-8, no control characters (tab, CR, NUL, ...), no byte-order mark, lines of at most
    1000 bytes, a file of at most 16 MiB;
  - an entry is `english forms = russian forms`: exactly one `=`, forms separated by `|`, none
    empty, at most 8 a side, each of at most 6 words of at most 40 characters;
  - a form is letters, digits, spaces, `-` and `'` (no other punctuation: the analyser would
    drop it), and every word has a letter and starts and ends with a letter or a digit;
  - English forms have only Latin letters, Russian forms only Cyrillic ones: every entry has
    both languages, and each language on its own side;
and, through the analyser itself (`nsearch --analyze`, the code that documents and queries go
through, so the check sees what matching will see):
  - no form is only stopwords, and none starts or ends with one (a phrase cannot match on a word
    the index does not hold);
  - no two forms of one language are the same on stems, on one line or on two (inflections of
    one word, `self-driving` and `self driving`, or two concepts that would expand alike);
  - no form is an organisation's name from vendors/vendors.txt (names are handled there);
  - the file has at least --min-entries entries (default 400).
"""
import argparse
import os
import subprocess
import sys
import unicodedata

MAX_FILE = 16 << 20
MAX_LINE = 1000
MAX_FORMS = 8
MAX_WORDS = 6
MAX_WORD_CHARS = 40
MAX_ERRORS = 100
# Between two texts sent to the analyser: a word of digits only, which no form may have
# (and no vendor name has).
SEP = "7070707070707070707"

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


class Fatal(Exception):
    """The file could not be checked at all (exit 2)."""


def char_name(c):
    return "U+%04X %s" % (ord(c), unicodedata.name(c, "(unnamed)"))


def script_of(c):
    """'latin', 'cyrillic' or 'other' for a letter."""
    name = unicodedata.name(c, "")
    if name.startswith("LATIN "):
        return "latin"
    if name.startswith("CYRILLIC "):
        return "cyrillic"
    return "other"


class Report:
    def __init__(self, path):
        self.path = path
        self.count = 0

    def error(self, lineno, msg):
        self.count += 1
        if self.count <= MAX_ERRORS:
            where = "%s:%d" % (self.path, lineno) if lineno else self.path
            print("%s: %s" % (where, msg), file=sys.stderr)


def check_form(form, side, lineno, rep):
    """Text rules for one form; True when it may go on to the analyser."""
    words = form.split(" ")
    if "" in words:
        rep.error(lineno, "'%s': words are separated by one space" % form)
        return False
    if len(words) > MAX_WORDS:
        rep.error(lineno, "'%s' has %d words, at most %d (a glossary form is a term, "
                  "not a sentence)" % (form, len(words), MAX_WORDS))
        return False
    want = "latin" if side == "en" else "cyrillic"
    ok = True
    for w in words:
        if len(w) > MAX_WORD_CHARS:
            rep.error(lineno, "'%s...' is a word of %d characters, at most %d"
                      % (w[:20], len(w), MAX_WORD_CHARS))
            return False
        for c in w:
            cat = unicodedata.category(c)
            if c in "-'" or cat == "Nd" or cat.startswith("M"):
                continue
            if not cat.startswith("L"):
                rep.error(lineno, "'%s': %s is not allowed in a form (letters, digits, spaces, "
                          "'-' and ''' only)" % (form, char_name(c)))
                return False
            sc = script_of(c)
            if sc != want:
                if side == "en":
                    rep.error(lineno, "English form '%s' has the %s letter %s: the English "
                              "side is Latin letters only" % (form, sc, char_name(c)))
                else:
                    rep.error(lineno, "Russian form '%s' has the %s letter %s: the Russian "
                              "side is Cyrillic letters only" % (form, sc, char_name(c)))
                return False
        if not any(unicodedata.category(c).startswith("L") for c in w):
            rep.error(lineno, "'%s': the word '%s' has no letter" % (form, w))
            ok = False
        elif w[0] in "-'" or w[-1] in "-'":
            rep.error(lineno, "'%s': the word '%s' starts or ends with '%s'"
                      % (form, w, w[0] if w[0] in "-'" else w[-1]))
            ok = False
    return ok


def parse(lines, rep):
    """Text rules for every line. Returns the entries that pass them:
    [(lineno, [english forms], [russian forms])], and the number of entry lines."""
    entries = []
    nentries = 0
    for lineno, raw in enumerate(lines, 1):
        if len(raw) > MAX_LINE:
            rep.error(lineno, "the line is %d bytes, at most %d" % (len(raw), MAX_LINE))
            nentries += 1
            continue
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as e:
            rep.error(lineno, "invalid UTF-8 at byte %d of the line" % (e.start + 1))
            nentries += 1
            continue
        bad = [c for c in line if unicodedata.category(c) in ("Cc", "Cf", "Co", "Cs", "Cn", "Zl",
                                                               "Zp")]
        if bad:
            hint = ""
            if bad[0] == "\r":
                hint = " (save the file with LF line ends)"
            elif bad[0] == "\ufeff":
                hint = " (a byte-order mark: save the file as UTF-8 without one)"
            rep.error(lineno, "control or invisible character %s%s" % (char_name(bad[0]), hint))
            nentries += 1
            continue
        if any(unicodedata.category(c) == "Zs" and c != " " for c in line):
            c = next(c for c in line if unicodedata.category(c) == "Zs" and c != " ")
            rep.error(lineno, "%s: use a plain space" % char_name(c))
            nentries += 1
            continue
        text = line.strip(" ")
        if not text or text.startswith("#"):
            continue
        nentries += 1
        if text.count("=") != 1:
            rep.error(lineno, "an entry is 'english | ... = русский | ...' with exactly one '=', "
                      "this line has %d" % text.count("="))
            continue
        left, right = text.split("=")
        sides = []
        ok = True
        for side, part in (("en", left), ("ru", right)):
            forms = [f.strip(" ") for f in part.split("|")]
            if forms == [""]:
                rep.error(lineno, "no %s form %s the '='" % (
                    "English" if side == "en" else "Russian",
                    "before" if side == "en" else "after"))
                ok = False
                continue
            if "" in forms:
                rep.error(lineno, "an empty %s form (two '|' in a row, or one at an end)"
                          % ("English" if side == "en" else "Russian"))
                ok = False
                continue
            if len(forms) > MAX_FORMS:
                rep.error(lineno, "%d %s forms, at most %d (more are likely several concepts)"
                          % (len(forms), "English" if side == "en" else "Russian", MAX_FORMS))
                ok = False
                continue
            for f in forms:
                if not check_form(f, side, lineno, rep):
                    ok = False
            sides.append(forms)
        if ok:
            entries.append((lineno, sides[0], sides[1]))
    return entries, nentries


def analyse(nsearch, texts):
    """Each text through `nsearch --analyze`: a list, per text, of its tokens as
    (token, [terms]). One process for all of them, texts separated by SEP."""
    data = ("\n%s\n" % SEP).join(texts).encode("utf-8") + b"\n"
    try:
        p = subprocess.run([nsearch, "--analyze"], input=data, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=120, check=False)
    except OSError as e:
        raise Fatal("cannot run %s: %s (build it with make)" % (nsearch, e.strerror))
    except subprocess.TimeoutExpired:
        raise Fatal("%s --analyze did not answer in 120 s" % nsearch)
    if p.returncode != 0:
        raise Fatal("%s --analyze exited %d: %s" % (nsearch, p.returncode,
                                                    p.stderr.decode("utf-8", "replace").strip()))
    out = [[]]
    for line in p.stdout.decode("utf-8").split("\n"):
        if not line:
            continue
        tok, _, terms = line.partition("\t")
        if tok == SEP:
            out.append([])
        else:
            out[-1].append((tok, terms.split(" ") if terms else []))
    if len(out) != len(texts):
        raise Fatal("%s --analyze gave %d texts back for %d" % (nsearch, len(out), len(texts)))
    return out


def key_of(tokens):
    """What a form matches on: its stems in order, a compound by its parts (the analyser
    also indexes `self-driving` as `self drive`, so the two forms are the same), stopwords
    left out."""
    key = []
    for _, terms in tokens:
        key.extend(terms[1:] if len(terms) > 1 else terms)
    return tuple(key)


def vendor_names(path):
    names = []
    try:
        with open(path, "rb") as f:
            text = f.read().decode("utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise Fatal("cannot read the vendor table %s: %s" % (path, e))
    for line in text.split("\n"):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        canonical = line.split("|")[0].strip()
        for alias in line.split("|"):
            # a leading '=' marks the name the Russian interface shows
            alias = alias.strip().lstrip("=").strip()
            if alias:
                names.append((alias, canonical))
    return names


def check_analysis(entries, nsearch, vendors, vendors_path, rep):
    forms = [(lineno, side, f) for lineno, en, ru in entries
             for side, fs in (("en", en), ("ru", ru)) for f in fs]
    analysed = analyse(nsearch, [f for _, _, f in forms] + [n for n, _ in vendors])
    vendor_keys = {}
    for (name, canonical), toks in zip(vendors, analysed[len(forms):]):
        k = key_of(toks)
        if k:
            vendor_keys.setdefault(k, (name, canonical))
    seen = {}
    for (lineno, side, form), toks in zip(forms, analysed):
        nwords = len(form.split(" "))
        if len(toks) != nwords:
            rep.error(lineno, "'%s': the analyser reads %d words in it, not %d"
                      % (form, len(toks), nwords))
            continue
        if all(not terms for _, terms in toks):
            rep.error(lineno, "'%s' is only stopwords: it gives no term to match" % form)
            continue
        for end, (tok, terms) in (("starts", toks[0]), ("ends", toks[-1])):
            if not terms:
                rep.error(lineno, "'%s' %s with the stopword '%s'" % (form, end, tok))
        k = key_of(toks)
        if k in vendor_keys:
            name, canonical = vendor_keys[k]
            rep.error(lineno, "'%s' is the vendor name '%s' (%s in %s): names are not "
                      "glossary entries" % (form, name, canonical, vendors_path))
        if (side, k) in seen:
            other_line, other = seen[(side, k)]
            where = "on the same line" if other_line == lineno else "on line %d" % other_line
            rep.error(lineno, "'%s' is the same on stems as '%s' %s (%s): list a word once, "
                      "in its base form" % (form, other, where, " ".join(k)))
        else:
            seen[(side, k)] = (lineno, form)
    return len(forms)


def main(argv):
    ap = argparse.ArgumentParser(prog="check.py", description="Validate the bilingual glossary.")
    ap.add_argument("glossary", nargs="?", default=os.path.join(TOP, "glossary", "en-ru.txt"))
    ap.add_argument("--nsearch", default=os.path.join(os.environ.get("NS_BUILD") or
                                                      os.path.join(TOP, "build"), "nsearch"),
                    help="the nsearch whose --analyze is used (default $NS_BUILD/nsearch, "
                         "else build/nsearch)")
    ap.add_argument("--vendors", default=os.path.join(TOP, "vendors", "vendors.txt"))
    ap.add_argument("--min-entries", type=int, default=400, metavar="N")
    try:
        args = ap.parse_args(argv)
    except SystemExit as e:
        return 2 if e.code else 0
    path = args.glossary
    try:
        if os.path.isdir(path):
            raise Fatal("%s is a directory, not a glossary file" % path)
        with open(path, "rb") as f:
            data = f.read(MAX_FILE + 1)
        if len(data) > MAX_FILE:
            raise Fatal("%s is over %d MiB: not a glossary" % (path, MAX_FILE >> 20))
        if not os.access(args.nsearch, os.X_OK):
            raise Fatal("%s is missing: build nsearch first (make), or name it with --nsearch"
                        % args.nsearch)
        rep = Report(path)
        lines = data.split(b"\n")
        if lines and lines[-1] == b"":
            lines.pop()
        entries, nentries = parse(lines, rep)
        vendors = vendor_names(args.vendors)
        shown = os.path.relpath(args.vendors, TOP)
        if shown.startswith(".."):
            shown = args.vendors
        nforms = check_analysis(entries, args.nsearch, vendors, shown, rep)
    except OSError as e:
        print("check.py: %s: %s" % (e.filename or path, e.strerror), file=sys.stderr)
        return 2
    except Fatal as e:
        print("check.py: %s" % e, file=sys.stderr)
        return 2
    if nentries < args.min_entries:
        rep.error(0, "%d entries, at least %d wanted" % (nentries, args.min_entries))
    if rep.count > MAX_ERRORS:
        print("%s: ... and %d more errors" % (path, rep.count - MAX_ERRORS), file=sys.stderr)
    print("%s: %d entries, %d forms, %d errors" % (path, nentries, nforms, rep.count))
    return 1 if rep.count else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
