/* charclass.c: the character classes and scripts of charclass.h, for
 * characters beyond ASCII and basic Cyrillic through utf8proc's categories. */
#include "charclass.h"

#include "utf8.h"

#include <utf8proc.h>

/* bytes >= 0x80 are decoded */
const unsigned char ns_charclass_ascii[128] = {
    ['-'] = NS_CH_HYPHEN, ['_'] = NS_CH_HYPHEN, ['\''] = NS_CH_APOS, ['.'] = NS_CH_DOT,
    [','] = NS_CH_DOT, ['0'] = NS_CH_DIGIT, ['1'] = NS_CH_DIGIT, ['2'] = NS_CH_DIGIT,
    ['3'] = NS_CH_DIGIT, ['4'] = NS_CH_DIGIT, ['5'] = NS_CH_DIGIT, ['6'] = NS_CH_DIGIT,
    ['7'] = NS_CH_DIGIT, ['8'] = NS_CH_DIGIT, ['9'] = NS_CH_DIGIT, ['a'] = NS_CH_LETTER,
    ['b'] = NS_CH_LETTER, ['c'] = NS_CH_LETTER, ['d'] = NS_CH_LETTER, ['e'] = NS_CH_LETTER,
    ['f'] = NS_CH_LETTER, ['g'] = NS_CH_LETTER, ['h'] = NS_CH_LETTER, ['i'] = NS_CH_LETTER,
    ['j'] = NS_CH_LETTER, ['k'] = NS_CH_LETTER, ['l'] = NS_CH_LETTER, ['m'] = NS_CH_LETTER,
    ['n'] = NS_CH_LETTER, ['o'] = NS_CH_LETTER, ['p'] = NS_CH_LETTER, ['q'] = NS_CH_LETTER,
    ['r'] = NS_CH_LETTER, ['s'] = NS_CH_LETTER, ['t'] = NS_CH_LETTER, ['u'] = NS_CH_LETTER,
    ['v'] = NS_CH_LETTER, ['w'] = NS_CH_LETTER, ['x'] = NS_CH_LETTER, ['y'] = NS_CH_LETTER,
    ['z'] = NS_CH_LETTER, ['A'] = NS_CH_LETTER, ['B'] = NS_CH_LETTER, ['C'] = NS_CH_LETTER,
    ['D'] = NS_CH_LETTER, ['E'] = NS_CH_LETTER, ['F'] = NS_CH_LETTER, ['G'] = NS_CH_LETTER,
    ['H'] = NS_CH_LETTER, ['I'] = NS_CH_LETTER, ['J'] = NS_CH_LETTER, ['K'] = NS_CH_LETTER,
    ['L'] = NS_CH_LETTER, ['M'] = NS_CH_LETTER, ['N'] = NS_CH_LETTER, ['O'] = NS_CH_LETTER,
    ['P'] = NS_CH_LETTER, ['Q'] = NS_CH_LETTER, ['R'] = NS_CH_LETTER, ['S'] = NS_CH_LETTER,
    ['T'] = NS_CH_LETTER, ['U'] = NS_CH_LETTER, ['V'] = NS_CH_LETTER, ['W'] = NS_CH_LETTER,
    ['X'] = NS_CH_LETTER, ['Y'] = NS_CH_LETTER, ['Z'] = NS_CH_LETTER,
};

unsigned ns_charclass_script(int32_t c)
{
    if (c < 0x2B0 || (c >= 0x1D00 && c < 0x1DC0) || (c >= 0x1E00 && c < 0x1F00) ||
        (c >= 0x2C60 && c < 0x2C80) || (c >= 0xA720 && c < 0xA800) ||
        (c >= 0xAB30 && c < 0xAB70) || (c >= 0xFB00 && c < 0xFB07) ||
        (c >= 0xFF21 && c < 0xFF5B) || (c >= 0x2100 && c < 0x2150))
        return NS_SCRIPT_LATIN; /* incl. ligatures (ﬁ), fullwidth and letterlike forms */
    if ((c >= 0x400 && c < 0x530) || (c >= 0x1C80 && c < 0x1C90) ||
        (c >= 0x2DE0 && c < 0x2E00) || (c >= 0xA640 && c < 0xA6A0))
        return NS_SCRIPT_CYRILLIC;
    if ((c >= 0x370 && c < 0x400) || (c >= 0x1F00 && c < 0x2000))
        return NS_SCRIPT_GREEK;
    if ((c >= 0x1100 && c < 0x1200) || (c >= 0xAC00 && c < 0xD7B0))
        return NS_SCRIPT_HANGUL;
    if ((c >= 0x2E80 && c < 0xA000) || (c >= 0xF900 && c < 0xFB00) || c >= 0x20000)
        return NS_SCRIPT_CJK;
    return NS_SCRIPT_OTHER + ((unsigned)c >> 7);
}

size_t ns_charclass_read_other(const unsigned char *s, size_t len, size_t i, int *kind,
                               unsigned *script)
{
    int32_t c;
    int n = ns_utf8_decode((const char *)s + i, len - i, &c);
    *script = NS_SCRIPT_NONE;
    if (c < 0) {
        *kind = NS_CH_SEP;
        return 1;
    }
    switch (c) {
    case 0x2010: case 0x2011:
        *kind = NS_CH_HYPHEN;
        return (size_t)n;
    case 0x2019: case 0x02BC: /* ’ and ʼ (a letter by category, an apostrophe in use) */
        *kind = NS_CH_APOS;
        return (size_t)n;
    case 0x00AD: case 0x200C: case 0x200D: case 0x2060:
        *kind = NS_CH_IGNORE;
        return (size_t)n;
    default:
        break;
    }
    switch (utf8proc_category(c)) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO:
        *kind = NS_CH_LETTER;
        *script = ns_charclass_script(c);
        break;
    case UTF8PROC_CATEGORY_ND: case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_NO:
        *kind = NS_CH_DIGIT;
        break;
    case UTF8PROC_CATEGORY_MN: case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ME:
        *kind = NS_CH_MARK;
        break;
    default:
        *kind = NS_CH_SEP;
        break;
    }
    return (size_t)n;
}
