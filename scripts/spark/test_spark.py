#!/usr/bin/env python3
"""Tests of the Spark jobs in Spark's local mode (`scripts/test` runs them; CI installs PySpark
and Java with `scripts/install-deps --spark`). Without PySpark or Java they say so and pass.

  python3 scripts/spark/test_spark.py [-v]

The corpus is ../shared/corpus's seeds and government work reports (else the sample speeches in
index-data/speeches): indexed once as one index and as 4 shards by the job, undisturbed and with
one task's `tongwen` killed; every shard passes `tongwen check`, and the shards searched together
give the one index's ids, totals and scores for queries drawn from the corpus.
"""
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, '../..'))
# The binary under test: $TONGWEN_BIN (scripts/test gives the debug build it made), else the release build.
TONGWEN = os.environ.get('TONGWEN_BIN') or os.path.join(ROOT, '.build/release/tongwen')
SHARED = os.path.abspath(os.path.join(ROOT, '../shared/corpus'))
sys.path.insert(0, HERE)
import tongwen_spark as tw  # noqa: E402


def missing():
    """Why the tests cannot run here, or None."""
    try:
        import pyspark  # noqa: F401
    except ImportError:
        return 'PySpark is not installed (scripts/install-deps --spark installs it and Java 17)'
    if shutil.which('java') is None:
        return 'no Java runtime (scripts/install-deps --spark installs openjdk-17-jre-headless)'
    if not os.access(TONGWEN, os.X_OK):
        return 'no tongwen binary at %s (swift build -c release, or set TONGWEN_BIN)' % TONGWEN
    return None


def make_corpus(folder):
    parts = [os.path.join(SHARED, p) for p in ('seeds', 'gov-work-reports')]
    if not all(os.path.isdir(p) for p in parts):
        parts = [os.path.join(ROOT, 'index-data/speeches')]
    for p in parts:
        shutil.copytree(p, os.path.join(folder, os.path.basename(p)))
    # Two republished copies with a few characters changed, so there are near-duplicate pairs.
    first = os.path.join(folder, tw.corpus_files(folder)[0])
    with open(first, encoding='utf-8', errors='ignore') as f:
        text = f.read()
    for n in (1, 2):
        edited = ''.join('改' if i % (97 * n) == 5 and '\u4e00' <= ch <= '\u9fff' else ch for i, ch in enumerate(text))
        with open(os.path.join(folder, 'republished-%d.txt' % n), 'w', encoding='utf-8') as f:
            f.write(edited)


def queries(corpus, count=120, seed=13):
    """Phrases and AND queries cut from the corpus's own text (Han runs of 2–6 characters)."""
    rng = random.Random(seed)
    texts = []
    for rel in tw.corpus_files(corpus):
        if rel.endswith(('.txt', '.md')):
            with open(os.path.join(corpus, rel), encoding='utf-8', errors='ignore') as f:
                texts.append(f.read())
    han = [''.join(ch for ch in t if '\u4e00' <= ch <= '\u9fff') for t in texts]
    han = [h for h in han if len(h) > 20]
    out = []
    while len(out) < count:
        h = rng.choice(han)
        n = rng.randint(2, 6)
        i = rng.randrange(len(h) - n)
        phrase = h[i:i + n]
        if len(out) % 3 == 2:
            other = rng.choice(han)
            j = rng.randrange(len(other) - 2)
            out.append('"%s" "%s"' % (phrase, other[j:j + 2]))
        else:
            out.append('"%s"' % phrase)
    return out


def search(args, query_file):
    out = subprocess.run([TONGWEN, 'search'] + args + ['--batch', query_file, '--json', '--no-snippets', '--limit', '1000'],
                         capture_output=True, text=True, check=True)
    return [json.loads(l) for l in out.stdout.splitlines()]


def job(*args):
    return subprocess.run([sys.executable, os.path.join(HERE, args[0])] + list(args[1:]), capture_output=True, text=True)


@unittest.skipIf(missing(), missing())
class SparkJobs(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.work = tempfile.mkdtemp(prefix='tongwen-spark-')
        cls.corpus = os.path.join(cls.work, 'corpus')
        os.makedirs(cls.corpus)
        make_corpus(cls.corpus)
        cls.single = os.path.join(cls.work, 'single')
        subprocess.run([TONGWEN, 'index', cls.corpus, '--index', cls.single, '--quiet'], check=True, capture_output=True)
        cls.query_file = os.path.join(cls.work, 'queries.txt')
        with open(cls.query_file, 'w', encoding='utf-8') as f:
            f.write('\n'.join(queries(cls.corpus)) + '\n')
        cls.expected = search(['--index', cls.single], cls.query_file)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.work, ignore_errors=True)

    def build(self, name, *extra):
        output = os.path.join(self.work, name)
        done = job('index_shards.py', self.corpus, output, '--shards', '4', '--master', 'local[2,4]', '--tongwen', TONGWEN, *extra)
        self.assertEqual(done.returncode, 0, done.stderr[-3000:])
        return output

    def assert_same_answers(self, output):
        got = search(['--shards', os.path.join(output, 'shards.txt')], self.query_file)
        self.assertEqual(len(got), len(self.expected))
        matched = 0
        for e, g in zip(self.expected, got):
            self.assertEqual(g['total'], e['total'], e['query'])
            self.assertEqual([h['id'] for h in g['hits']], [h['id'] for h in e['hits']], e['query'])
            for a, b in zip(g['hits'], e['hits']):
                self.assertLessEqual(abs(a['score'] - b['score']), 1e-6, e['query'])
            matched += e['total']
        self.assertGreater(matched, 0)

    def assert_only_shards(self, output):
        names = sorted(os.listdir(output))
        self.assertEqual(names, ['shard-%05d' % k for k in range(4)] + ['shards.txt'])
        for name in names[:-1]:
            check = subprocess.run([TONGWEN, 'check', '--index', os.path.join(output, name)], capture_output=True, text=True)
            self.assertEqual(check.returncode, 0, check.stdout + check.stderr)

    def test_shards_search_as_the_one_index(self):
        output = self.build('shards')
        self.assert_only_shards(output)
        self.assert_same_answers(output)
        # A second run into the same folder is refused unless told to replace it.
        again = job('index_shards.py', self.corpus, output, '--shards', '4', '--master', 'local[2]', '--tongwen', TONGWEN)
        self.assertNotEqual(again.returncode, 0)
        self.assertIn('--overwrite', again.stderr)

    def test_a_killed_task_is_retried_and_leaves_no_partial_shard(self):
        output = self.build('faulted', '--fault-shard', '1')
        self.assert_only_shards(output)
        self.assert_same_answers(output)

    def dupes(self, shards, name, *extra):
        output = os.path.join(self.work, name)
        done = job('dupes_shards.py', shards, output, '--parts', '3', '--master', 'local[2,4]', '--tongwen', TONGWEN, '--full-text', *extra)
        self.assertEqual(done.returncode, 0, done.stderr[-3000:])
        self.assertEqual(sorted(os.listdir(output)), ['dupes.jsonl', 'pairs'])
        self.assertEqual(sorted(os.listdir(os.path.join(output, 'pairs'))), ['part-%05d-of-00003.pairs' % k for k in range(3)])
        with open(os.path.join(output, 'dupes.jsonl'), encoding='utf-8') as f:
            return f.read()

    def test_dupes_on_spark_report_as_one_machine(self):
        shards = os.path.join(self.build('for-dupes'), 'shards.txt')
        expected = subprocess.run([TONGWEN, 'dupes', '--shards', shards, '--full', '--json', '--limit', '0', '--full-text'],
                                  capture_output=True, text=True, check=True).stdout
        rows = [json.loads(l) for l in expected.splitlines()]
        self.assertTrue(any(r.get('type') == 'passage' for r in rows))
        self.assertTrue(any(r.get('type') == 'nearDuplicate' for r in rows))
        self.assertEqual(self.dupes(shards, 'dupes'), expected)
        # Undisturbed and with one pairs task killed (and retried): the same report.
        self.assertEqual(self.dupes(shards, 'dupes-faulted', '--fault-part', '1'), expected)

    def test_batch_queries_count_over_every_shard(self):
        output = self.build('for-queries')
        out = os.path.join(self.work, 'answers.jsonl')
        done = job('query_shards.py', os.path.join(output, 'shards.txt'), self.query_file, out, '--master', 'local[2]', '--tongwen', TONGWEN)
        self.assertEqual(done.returncode, 0, done.stderr[-3000:])
        with open(out, encoding='utf-8') as f:
            answers = [json.loads(l) for l in f]
        self.assertEqual(len(answers), len(self.expected))
        for e, a in zip(self.expected, answers):
            self.assertEqual(a['total'], e['total'], e['query'])
            self.assertEqual(sum(a['byYear'].values()), e['total'])
            if e['total'] <= 1000:
                self.assertEqual(a['ids'], sorted(h['id'] for h in e['hits']))


if __name__ == '__main__':
    reason = missing()
    if reason:
        print('Spark job tests skipped: ' + reason)
    unittest.main()
