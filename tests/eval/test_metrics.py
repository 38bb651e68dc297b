#!/usr/bin/python3
"""The metric code of `make eval` against examples computed by hand, and the checks on the
judged set's files.  `make eval` runs it before measuring; so does tests/e2e/eval.sh."""
import os
import sys
import tempfile
import unittest

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import metrics  # noqa: E402

# One query: a is exactly about it (3), b substantially (2), c and e mention it (1).
GRADES = {"a": 3, "b": 2, "c": 1, "e": 1}
# An engine's answer: x, y, z are unjudged (0); e is never found.
RANKED = ["x", "b", "a", "y", "c", "z"]


class HandComputed(unittest.TestCase):
    def test_ndcg_of_the_example(self):
        # DCG  = (2^2-1)/log2(3) + (2^3-1)/log2(4) + (2^1-1)/log2(6)
        #      = 1.892789 + 3.5 + 0.386853 = 5.779642
        # IDCG = 7/log2(2) + 3/log2(3) + 1/log2(4) + 1/log2(5)
        #      = 7 + 1.892789 + 0.5 + 0.430677 = 9.823466
        self.assertAlmostEqual(metrics.ndcg_at(RANKED, GRADES), 5.779642 / 9.823466, places=6)
        self.assertAlmostEqual(metrics.ndcg_at(RANKED, GRADES), 0.588351, places=6)

    def test_mrr_counts_the_first_result_graded_2_or_more(self):
        self.assertEqual(metrics.rr_at(RANKED, GRADES), 0.5)      # b at rank 2
        self.assertEqual(metrics.rr_at(["c", "e", "a"], GRADES), 1 / 3)  # c, e are only 1

    def test_p5_counts_grades_1_and_up_over_5(self):
        self.assertEqual(metrics.precision_at(RANKED, GRADES), 3 / 5)   # b, a, c
        self.assertEqual(metrics.precision_at(["a"], GRADES), 1 / 5)    # a short list misses

    def test_r10_is_the_share_of_relevant_articles_found(self):
        self.assertEqual(metrics.recall_at(RANKED, GRADES), 3 / 4)      # e is missing

    def test_perfect_ranking_scores_1(self):
        s = metrics.scores(["a", "b", "c", "e"], GRADES)
        self.assertAlmostEqual(s["ndcg"], 1.0)
        self.assertEqual((s["mrr"], s["p5"], s["r10"]), (1.0, 4 / 5, 1.0))

    def test_nothing_found_scores_0(self):
        self.assertEqual(metrics.scores([], GRADES), {"ndcg": 0.0, "mrr": 0.0, "p5": 0.0, "r10": 0.0})

    def test_only_the_top_10_count(self):
        ranked = [f"z{i}" for i in range(10)] + ["a", "b"]
        self.assertEqual(metrics.scores(ranked, GRADES)["ndcg"], 0.0)
        self.assertEqual(metrics.rr_at(ranked, GRADES), 0.0)
        self.assertEqual(metrics.recall_at(ranked, GRADES), 0.0)

    def test_a_repeated_result_counts_once(self):
        self.assertEqual(metrics.precision_at(["a", "a", "a"], GRADES), 1 / 5)
        self.assertAlmostEqual(metrics.ndcg_at(["b", "b"], GRADES), (3 / 1) / 9.823466, places=6)

    def test_ideal_dcg_uses_only_the_best_10_grades(self):
        grades = {f"d{i}": 3 for i in range(12)}
        self.assertAlmostEqual(metrics.ndcg_at([f"d{i}" for i in range(10)], grades), 1.0)


class Files(unittest.TestCase):
    def write(self, text):
        fd, path = tempfile.mkstemp(suffix=".tsv")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        self.addCleanup(os.unlink, path)
        return path

    def test_good_files_load(self):
        qs = metrics.load_queries(self.write("# comment\nq1\ttopic\ten\tgpt3\n"))
        self.assertEqual(qs, [{"qid": "q1", "group": "topic", "lang": "en", "query": "gpt3"}])
        qrels = metrics.load_qrels(self.write("q1\ten/a\t3\nq1\tru/a\t1\n"), qs, {"en/a", "ru/a"})
        self.assertEqual(qrels, {"q1": {"en/a": 3, "ru/a": 1}})

    def test_bad_files_are_refused_with_the_line(self):
        qs = metrics.load_queries(self.write("q1\ttopic\ten\tgpt3\n"))
        cases = [
            ("q1\ten/a\t0\n", "grade '0' is not 1, 2 or 3"),
            ("q1\ten/zzz\t3\n", "no article with id 'en/zzz'"),
            ("q2\ten/a\t3\n", "no query 'q2'"),
            ("q1\ten/a\t1\n", "has no article graded 2 or 3"),
            ("q1\ten/a\t3\nq1\ten/a\t2\n", "judged twice"),
            ("q1 en/a 3\n", "separated by tabs"),
        ]
        for text, msg in cases:
            with self.assertRaisesRegex(metrics.JudgedSetError, msg):
                metrics.load_qrels(self.write(text), qs, {"en/a"})
        for text, msg in [("q1\tnews\ten\tx\n", "unknown group"), ("q1\ttopic\tde\tx\n", "unknown lang"),
                          ("q1\ttopic\ten\tx\nq1\ttopic\ten\ty\n", "used twice"), ("", "no queries")]:
            with self.assertRaisesRegex(metrics.JudgedSetError, msg):
                metrics.load_queries(self.write(text))


if __name__ == "__main__":
    unittest.main()
