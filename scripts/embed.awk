# embed.awk: turn a text file into a C string constant, so data the analysis
# depends on (stopwords, the vendor table) is compiled into the programs and an
# index and its queries can never disagree about it.
# usage: awk -v name=ns_data_en_stopwords -f embed.awk stopwords/en.txt
BEGIN { printf "const char %s[] =\n", name; n = 0 }
{
    gsub(/\\/, "\\\\"); gsub(/"/, "\\\""); gsub(/\t/, "\\t"); gsub(/\r/, "")
    printf "    \"%s\\n\"\n", $0; n++
}
END { if (n == 0) printf "    \"\"\n"; printf "    ;\n" }
