// xapian_index: the "Xapian as commonly used" peer of the indexing line. One process, one
// WritableDatabase, one TermGenerator, a commit every 10,000 articles (Xapian's default flush
// threshold), nothing parallel: what a straightforward libxapian program gets.
//
// build: c++ -std=c++17 -O2 -o xapian_index xapian_index.cc $(xapian-config --cxxflags --libs)
// usage: xapian_index CORPUS_DIR DB_DIR
//
// Document model (the one bench/xapian_batch.py and quest query):
//   terms   title with prefix S and unprefixed, body unprefixed, with positions, stemmed by
//           the article's language (STEM_SOME: Z-prefixed stems plus the unstemmed words);
//           boolean Q<id>, XV<vendor>, XM<YYYY-MM>, XL<lang>
//   values  0 date YYYYMMDD, 1-3 vendors, 4 month YYYY-MM
//   data    id, title, date, url (one per line)
#include <xapian.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

struct Article {
    std::string title, date, lang, url;
    std::vector<std::string> vendors;
    std::string body;
};

std::string trim(const std::string& s) {
    size_t a = s.find_first_not_of(" \t\r"), b = s.find_last_not_of(" \t\r");
    return a == std::string::npos ? std::string() : s.substr(a, b - a + 1);
}

// The front matter gencorpus writes: one "key: value" per line between "---" lines; the
// title double-quoted, the vendors a flow list.
bool parse(const std::string& text, Article& a) {
    if (text.compare(0, 4, "---\n") != 0) return false;
    size_t end = text.find("\n---\n", 3);
    if (end == std::string::npos) return false;
    std::istringstream head(text.substr(4, end - 4));
    std::string line;
    while (std::getline(head, line)) {
        size_t colon = line.find(':');
        if (colon == std::string::npos) continue;
        std::string key = line.substr(0, colon), v = trim(line.substr(colon + 1));
        if (key == "title") {
            if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
            a.title = v;
        } else if (key == "date") {
            a.date = v;
        } else if (key == "lang") {
            a.lang = v;
        } else if (key == "url") {
            a.url = v;
        } else if (key == "vendors") {
            if (!v.empty() && v.front() == '[') v = v.substr(1, v.size() - 2);
            std::istringstream vs(v);
            std::string one;
            while (std::getline(vs, one, ',')) {
                one = trim(one);
                if (!one.empty()) a.vendors.push_back(one);
            }
        }
    }
    a.body = text.substr(end + 5);
    return a.date.size() == 10;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 3) {
        std::cerr << "usage: xapian_index CORPUS_DIR DB_DIR\n";
        return 2;
    }
    try {
        fs::path root(argv[1]);
        std::vector<fs::path> files;
        for (const auto& e : fs::recursive_directory_iterator(root))
            if (e.is_regular_file() && e.path().extension() == ".md") files.push_back(e.path());
        std::sort(files.begin(), files.end());

        Xapian::WritableDatabase db(argv[2], Xapian::DB_CREATE_OR_OVERWRITE);
        Xapian::TermGenerator tg;
        const Xapian::Stem english("english"), russian("russian");
        long n = 0, failed = 0;
        for (const auto& path : files) {
            std::ifstream in(path, std::ios::binary);
            std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
            Article a;
            if (!in || !parse(text, a)) {
                std::cerr << path.string() << ": cannot parse\n";
                failed++;
                continue;
            }
            std::string id = fs::relative(path, root).replace_extension().generic_string();
            std::string month = a.date.substr(0, 7);
            Xapian::Document doc;
            tg.set_document(doc);
            tg.set_stemmer(a.lang == "ru" ? russian : english);
            tg.index_text(a.title, 1, "S");
            tg.index_text(a.title);
            tg.increase_termpos();  // no phrase across title and body
            tg.index_text(a.body);
            doc.add_boolean_term("Q" + id);
            doc.add_boolean_term("XM" + month);
            doc.add_boolean_term("XL" + a.lang);
            for (size_t i = 0; i < a.vendors.size(); i++) {
                // Xapian's convention (QueryParser, Omega): a colon after a multi-letter
                // prefix when the value starts with a capital letter.
                const bool upper = a.vendors[i][0] >= 'A' && a.vendors[i][0] <= 'Z';
                doc.add_boolean_term((upper ? "XV:" : "XV") + a.vendors[i]);
                if (i < 3) doc.add_value(1 + i, a.vendors[i]);
            }
            std::string ymd = a.date;
            ymd.erase(std::remove(ymd.begin(), ymd.end(), '-'), ymd.end());
            doc.add_value(0, ymd);
            doc.add_value(4, month);
            doc.set_data(id + "\n" + a.title + "\n" + a.date + "\n" + a.url + "\n");
            db.add_document(doc);  // the database is new: no document to replace
            if (++n % 10000 == 0) db.commit();
        }
        db.commit();
        db.close();
        std::cerr << "xapian_index: indexed " << n << ", failed " << failed << "\n";
        return failed ? 1 : 0;
    } catch (const Xapian::Error& e) {
        std::cerr << "xapian_index: " << e.get_description() << "\n";
    } catch (const std::exception& e) {
        std::cerr << "xapian_index: " << e.what() << "\n";
    }
    return 2;
}
