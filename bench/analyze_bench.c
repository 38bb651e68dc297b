/* analyze_bench.c: throughput of ns_analyze on real prose.
 * usage: analyze_bench [-n PASSES] FILE...
 * The files are read whole and cut into paragraphs (at blank lines), the
 * unit an indexer hands to the analyser; every paragraph is analysed PASSES
 * times. Prints "MB/s <rate>" (input megabytes, 10^6 bytes, per second of
 * wall time) and the number of terms of one pass. */
#include "analyze.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int read_file(ns_buf *b, const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        if (ns_buf_append(b, chunk, n) < 0) {
            fclose(f);
            return -1;
        }
    int bad = ferror(f);
    fclose(f);
    return bad ? -1 : 0;
}

int main(int argc, char **argv)
{
    int passes = 20, i = 1;
    if (argc > 2 && strcmp(argv[1], "-n") == 0) {
        passes = atoi(argv[2]);
        i = 3;
    }
    if (i >= argc || passes <= 0) {
        fprintf(stderr, "usage: analyze_bench [-n PASSES] FILE...\n");
        return 2;
    }
    ns_buf text = NS_BUF_INIT;
    for (; i < argc; i++) {
        if (read_file(&text, argv[i]) < 0) {
            fprintf(stderr, "analyze_bench: cannot read %s\n", argv[i]);
            return 2;
        }
        ns_buf_puts(&text, "\n\n");
    }
    ns_analyzer *a;
    ns_err err;
    if (ns_analyzer_new(&a, &err) < 0) {
        fprintf(stderr, "analyze_bench: %s\n", err.msg);
        return 2;
    }
    size_t terms = 0;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (int p = 0; p < passes; p++) {
        const char *s = text.data, *end = text.data + text.len;
        uint32_t pos = 1;
        while (s < end) {
            const char *q = strstr(s, "\n\n");
            const char *e = q ? q : end;
            const ns_term *t;
            size_t n;
            if (ns_analyze(a, s, (size_t)(e - s), pos, &t, &n, &pos, &err) < 0) {
                fprintf(stderr, "analyze_bench: %s\n", err.msg);
                return 2;
            }
            if (p == 0)
                terms += n;
            pos += 100;
            s = q ? q + 2 : end;
        }
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    printf("MB/s %.2f\nterms %zu\nbytes %zu\n", (double)text.len * passes / 1e6 / secs, terms,
           text.len);
    ns_analyzer_free(a);
    ns_buf_free(&text);
    return 0;
}
