// tg_bench.cc: the baseline for analyze_bench: the same paragraphs through
// Xapian::TermGenerator with a Snowball stemmer, into a Xapian::Document (one
// per pass), as a Xapian indexer would do it.
// usage: tg_bench LANG [-n PASSES] FILE...   (LANG: english or russian)
// Prints "MB/s <rate>" and the number of distinct terms in the document.
#include <xapian.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

int main(int argc, char **argv)
{
    if (argc < 3) {
        std::cerr << "usage: tg_bench LANG [-n PASSES] FILE...\n";
        return 2;
    }
    std::string lang = argv[1];
    int passes = 20, i = 2;
    if (argc > 4 && std::strcmp(argv[2], "-n") == 0) {
        passes = std::atoi(argv[3]);
        i = 4;
    }
    std::string text;
    for (; i < argc; i++) {
        std::ifstream f(argv[i], std::ios::binary);
        if (!f) {
            std::cerr << "tg_bench: cannot read " << argv[i] << "\n";
            return 2;
        }
        std::ostringstream ss;
        ss << f.rdbuf();
        text += ss.str();
        text += "\n\n";
    }
    try {
        Xapian::TermGenerator tg;
        tg.set_stemmer(Xapian::Stem(lang));
        Xapian::termcount distinct = 0;
        auto t0 = std::chrono::steady_clock::now();
        for (int p = 0; p < passes; p++) {
            Xapian::Document doc;
            tg.set_document(doc);
            size_t s = 0;
            while (s < text.size()) {
                size_t q = text.find("\n\n", s);
                size_t e = q == std::string::npos ? text.size() : q;
                tg.index_text(Xapian::Utf8Iterator(text.data() + s, e - s));
                tg.increase_termpos(100);
                s = q == std::string::npos ? text.size() : q + 2;
            }
            distinct = doc.termlist_count();
        }
        auto t1 = std::chrono::steady_clock::now();
        double secs = std::chrono::duration<double>(t1 - t0).count();
        std::printf("MB/s %.2f\nterms %u\nbytes %zu\n", text.size() * (double)passes / 1e6 / secs,
                    (unsigned)distinct, text.size());
    } catch (const Xapian::Error &e) {
        std::cerr << "tg_bench: " << e.get_description() << "\n";
        return 2;
    }
    return 0;
}
