/* layout.c: the other keyboard layout (layout.h). */
#include "layout.h"

#include "buf.h"
#include "utf8.h"

#include <stdint.h>
#include <string.h>

/* The keys of the US layout and what the same key gives on ЙЦУКЕН, lower
 * and shifted. */
static const char S_latin[] = "qwertyuiop[]asdfghjkl;'zxcvbnm,.`"
                              "QWERTYUIOP{}ASDFGHJKL:\"ZXCVBNM<>~";
static const char *const S_cyr[] = {
    "й", "ц", "у", "к", "е", "н", "г", "ш", "щ", "з", "х", "ъ", "ф", "ы", "в", "а", "п",
    "р", "о", "л", "д", "ж", "э", "я", "ч", "с", "м", "и", "т", "ь", "б", "ю", "ё",
    "Й", "Ц", "У", "К", "Е", "Н", "Г", "Ш", "Щ", "З", "Х", "Ъ", "Ф", "Ы", "В", "А", "П",
    "Р", "О", "Л", "Д", "Ж", "Э", "Я", "Ч", "С", "М", "И", "Т", "Ь", "Б", "Ю", "Ё",
};
#define NKEYS (sizeof S_latin - 1)

static int S_is_ascii_letter(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Index of the key giving Cyrillic code point cp, or -1. */
static int S_cyr_key(int32_t cp)
{
    char u[4];
    size_t n;
    if (cp < 0x400 || cp > 0x4FF)
        return -1;
    u[0] = (char)(0xC0 | (cp >> 6));
    u[1] = (char)(0x80 | (cp & 0x3F));
    n = 2;
    for (size_t k = 0; k < NKEYS; k++)
        if (strlen(S_cyr[k]) == n && memcmp(S_cyr[k], u, n) == 0)
            return (int)k;
    return -1;
}

/* 'l': every byte a key of the Latin table and one a letter; 'c': every
 * character a Cyrillic letter of the table; 0: neither. */
static int S_kind(const char *s, size_t len)
{
    int letter = 0, latin = 1, cyr = 1;
    if (len == 0)
        return 0;
    for (size_t i = 0; i < len;) {
        int32_t cp;
        int k = ns_utf8_decode(s + i, len - i, &cp);
        if (cp < 0)
            return 0;
        if (cp < 0x80) {
            cyr = 0;
            if (!memchr(S_latin, (char)cp, NKEYS))
                latin = 0;
            letter |= S_is_ascii_letter((char)cp);
        } else {
            latin = 0;
            if (S_cyr_key(cp) < 0)
                cyr = 0;
        }
        i += (size_t)k;
    }
    if (latin && letter)
        return 'l';
    return cyr ? 'c' : 0;
}

static int S_convert(ns_buf *b, const char *s, size_t len, int kind)
{
    for (size_t i = 0; i < len;) {
        int32_t cp;
        int k = ns_utf8_decode(s + i, len - i, &cp);
        if (kind == 'l') {
            const char *at = memchr(S_latin, s[i], NKEYS);
            if (ns_buf_puts(b, S_cyr[at - S_latin]) < 0)
                return NS_ENOMEM;
        } else if (ns_buf_putc(b, S_latin[S_cyr_key(cp)]) < 0) {
            return NS_ENOMEM;
        }
        i += (size_t)k;
    }
    return 0;
}

int ns_layout_convert(const char *text, size_t len, char **out, ns_err *err)
{
    ns_buf b = NS_BUF_INIT;
    int changed = 0;

    *out = NULL;
    for (size_t i = 0; i < len;) {
        size_t j = i;
        while (j < len && text[j] != ' ')
            j++;
        /* text[i..j) is a word; its syntax around [s, e) stays */
        size_t s = i, e = j;
        while (s < e && (text[s] == '-' || text[s] == '"'))
            s++;
        while (e > s && (text[e - 1] == '"' || text[e - 1] == '*'))
            e--;
        /* OR is an operator, and a word with ':' a field (vendor:Google) */
        int kind = (e - s == 2 && memcmp(text + s, "OR", 2) == 0) || memchr(text + s, ':', e - s)
                       ? 0
                       : S_kind(text + s, e - s);
        if (ns_buf_append(&b, text + i, s - i) < 0)
            goto oom;
        if (kind) {
            if (S_convert(&b, text + s, e - s, kind) < 0)
                goto oom;
            changed = 1;
        } else if (ns_buf_append(&b, text + s, e - s) < 0) {
            goto oom;
        }
        if (ns_buf_append(&b, text + e, j - e) < 0)
            goto oom;
        for (i = j; i < len && text[i] == ' '; i++)
            if (ns_buf_putc(&b, ' ') < 0)
                goto oom;
    }
    if (changed && !(*out = ns_buf_detach(&b)))
        goto oom;
    ns_buf_free(&b);
    return 0;
oom:
    ns_buf_free(&b);
    return ns_err_set(err, NS_ENOMEM, "out of memory converting the keyboard layout");
}
