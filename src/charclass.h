/* charclass.h: what the analyser sees in a character: its class (letter,
 * digit, mark, connector, separator) and, for a letter, its script.
 *
 * ns_charclass_read is inline because it is the analyser's hottest call: it
 * answers ASCII and basic Cyrillic (almost all text) from a table and two
 * compares, and hands every other character to ns_charclass_read_other
 * (utf8proc's categories). Invalid UTF-8 and NUL are separators, one byte at a
 * time. Nothing here allocates or keeps state. */
#ifndef NS_CHARCLASS_H
#define NS_CHARCLASS_H

#include <stddef.h>
#include <stdint.h>

enum {
    NS_CH_SEP = 0,  /* separates tokens */
    NS_CH_LETTER,   /* L* */
    NS_CH_DIGIT,    /* N* */
    NS_CH_MARK,     /* M*: belongs to the character before it */
    NS_CH_HYPHEN,   /* - _ U+2010 U+2011: joins and splits parts */
    NS_CH_APOS,     /* ' U+2019 U+02BC: kept inside a word, between letters */
    NS_CH_DOT,      /* . , : only between two digits (a decimal) */
    NS_CH_IGNORE,   /* soft hyphen, ZWJ/ZWNJ, word joiner: invisible inside a word */
};

/* Scripts of letters; a change of script splits a part ("Яndex"). Letters
 * of scripts we do not name get NS_SCRIPT_OTHER + their 128-code-point block. */
enum {
    NS_SCRIPT_NONE = 0,
    NS_SCRIPT_LATIN,
    NS_SCRIPT_CYRILLIC,
    NS_SCRIPT_GREEK,
    NS_SCRIPT_CJK,
    NS_SCRIPT_HANGUL,
    NS_SCRIPT_MARK,
    NS_SCRIPT_OTHER = 64
};

/* Class (NS_CH_*) of each ASCII byte. */
extern const unsigned char ns_charclass_ascii[128];

/* Is s[i..i+2) one of А-Я а-я Ё ё? Russian text is almost all of these, and
 * they fold without utf8proc: already NFC, lower case is a fixed offset. */
static inline int ns_charclass_basic_cyrillic(const unsigned char *s, size_t len, size_t i)
{
    if (i + 1 >= len)
        return 0;
    unsigned char b = s[i], c = s[i + 1];
    return (b == 0xD0 && ((c >= 0x90 && c <= 0xBF) || c == 0x81)) ||
           (b == 0xD1 && ((c >= 0x80 && c <= 0x8F) || c == 0x91));
}

/* The n bytes at s[i] fold without utf8proc (ASCII or basic Cyrillic). */
static inline int ns_charclass_fast(const unsigned char *s, size_t len, size_t i, size_t n)
{
    return n == 1 || (n == 2 && ns_charclass_basic_cyrillic(s, len, i));
}

/* ns_charclass_read for everything but ASCII and basic Cyrillic. s[i] must
 * exist (i < len). */
size_t ns_charclass_read_other(const unsigned char *s, size_t len, size_t i, int *kind,
                               unsigned *script);

/* Class (*kind, NS_CH_*) and script (*script, NS_SCRIPT_*, for letters; NONE
 * for others but ASCII, which is LATIN) of the character at s[i] (i < len);
 * returns its byte length, at least 1. */
static inline size_t ns_charclass_read(const unsigned char *s, size_t len, size_t i, int *kind,
                                       unsigned *script)
{
    unsigned char b = s[i];
    if (b < 0x80) {
        *kind = ns_charclass_ascii[b];
        *script = NS_SCRIPT_LATIN;
        return 1;
    }
    if (ns_charclass_basic_cyrillic(s, len, i)) {
        *kind = NS_CH_LETTER;
        *script = NS_SCRIPT_CYRILLIC;
        return 2;
    }
    return ns_charclass_read_other(s, len, i, kind, script);
}

/* The script (NS_SCRIPT_*) of letter c. */
unsigned ns_charclass_script(int32_t c);

#endif
