/* fuzz_tempdb.h: a tiny database for the harnesses that search (test code).
 * fz_tempdb() writes a few articles (English, Russian, vendors, a hostile
 * title) to a temporary directory, indexes them once with ns_index_run and
 * returns the database path; the directory is removed at exit. */
#ifndef NS_FUZZ_TEMPDB_H
#define NS_FUZZ_TEMPDB_H

#include "fuzz_common.h"
#include "indexer.h"

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

static char fz_tmpdir[64];
static char fz_dbpath[96];

/* remove path and everything under it (no symlinks are ever created here) */
static inline void fz_rm_tree(const char *path)
{
    DIR *d = opendir(path);
    if (d) {
        struct dirent *e;
        while ((e = readdir(d)) != NULL) {
            if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
                continue;
            size_t n = strlen(path) + strlen(e->d_name) + 2;
            char *sub = malloc(n);
            if (!sub)
                break;
            snprintf(sub, n, "%s/%s", path, e->d_name);
            fz_rm_tree(sub);
            free(sub);
        }
        closedir(d);
    }
    remove(path);
}

static inline void fz_tempdb_cleanup(void)
{
    if (fz_tmpdir[0])
        fz_rm_tree(fz_tmpdir);
}

static inline void fz_write(const char *dir, const char *name, const char *text)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    FUZZ_ASSERT(f != NULL);
    fputs(text, f);
    FUZZ_ASSERT(fclose(f) == 0);
}

static inline const char *fz_tempdb(void)
{
    const char *tmp = getenv("TMPDIR");
    snprintf(fz_tmpdir, sizeof fz_tmpdir, "%s/nsfuzz.XXXXXX", tmp && strlen(tmp) < 40 ? tmp : "/tmp");
    FUZZ_ASSERT(mkdtemp(fz_tmpdir) != NULL);
    atexit(fz_tempdb_cleanup);
    char corpus[128];
    snprintf(corpus, sizeof corpus, "%s/corpus", fz_tmpdir);
    FUZZ_ASSERT(mkdir(corpus, 0700) == 0);
    fz_write(corpus, "gpt3.md",
             "---\ntitle: OpenAI releases GPT-3, a 175B language model\ndate: 2020-05-28\n"
             "vendors: [OpenAI]\nurl: https://example.com/gpt3\ntags: [nlp]\n---\n\n"
             "OpenAI trained **GPT-3** on the state of the art supercomputer from Microsoft.\n\n"
             "Few-shot learning, pre-trained transformers and `code` samples.\n");
    fz_write(corpus, "yandex.md",
             "---\ntitle: Яндекс представил YaLM 100B\ndate: 2021-03-15\nlang: ru\n---\n\n"
             "Сбербанк и Яндекс обучили языковые модели. Ёлка, ещё, GPT-3 по-русски.\n");
    fz_write(corpus, "xss.md",
             "---\ntitle: \"<script>alert(1)</script> \\\"quoted\\\"\"\ndate: 2020-10-15\n"
             "vendors: [\"<img src=x onerror=alert(1)>\", Nvidia]\n"
             "url: \"javascript:alert(1)\"\n---\n\n"
             "The <b>hostile</b> article with & ampersands, \"><svg onload=alert(1)> and NVIDIA A100.\n");
    fz_write(corpus, "long.md",
             "---\ntitle: Wav2vec 2.0 and speech\ndate: 2020-06-20\nvendors: Facebook\n---\n\n"
             "# Speech\n\nFacebook AI wav2vec 2.0 self-supervised speech recognition; "
             "word error rate 1.8/3.3 on LibriSpeech. Straße ﬁne-tuning M2M-100.\n");
    snprintf(fz_dbpath, sizeof fz_dbpath, "%s/db", fz_tmpdir);
    ns_index_opts o = NS_INDEX_OPTS_INIT;
    o.db_path = fz_dbpath;
    ns_index_stats st;
    ns_err err;
    const char *paths[1] = { corpus };
    if (ns_index_run(&o, paths, 1, &st, &err) != 0 || st.failed || st.added != 4) {
        fprintf(stderr, "fz_tempdb: indexing failed: %s (failed %zu)\n", err.msg, st.failed);
        abort();
    }
    return fz_dbpath;
}

#endif
