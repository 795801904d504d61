#!/usr/bin/env python3
"""Answers a file of queries over every shard of a sharded index on Apache Spark.

  spark-submit scripts/spark/query_shards.py SHARDS.txt QUERIES OUT.jsonl [--tongwen BIN]
  python3 scripts/spark/query_shards.py OUTPUT/shards.txt queries.txt out.jsonl --master 'local[2]'

For archives too large for one server: one task per shard runs `tongwen search --batch` over
its shard, and Spark adds the answers up. OUT.jsonl has one line per query, in input order:
{"query", "total" (exact, over all shards), "byYear" (matching documents per year of their
`date`, "unknown" without one), "ids" (every matching document, sorted)} or {"query",
"error"} for a query tongwen rejects (the message gives the column).
"""
import argparse
import json
import os
import subprocess
import sys
from collections import Counter

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tongwen_spark as tw  # noqa: E402

EVERY_HIT = 1_000_000_000


def read_shard_set(path):
    base = os.path.dirname(os.path.abspath(path))
    shards = []
    with open(path, encoding='utf-8') as f:
        for line in f:
            line = line.split('#', 1)[0].strip()
            if line:
                shards.append(line if line.startswith('/') else os.path.join(base, line))
    return shards


def answer(tongwen, shard, queries_path):
    """(query number, (total, ids, years)) for every query, over one shard."""
    out = subprocess.run([tongwen, 'search', '--index', shard, '--batch', queries_path, '--json', '--no-snippets',
                          '--limit', str(EVERY_HIT)], capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError('tongwen search over %s failed (exit %d): %s' % (shard, out.returncode, out.stderr.strip()[-2000:]))
    for n, line in enumerate(out.stdout.splitlines()):
        response = json.loads(line)
        if 'error' in response:
            yield n, ('error', response['error'])
            continue
        dates = (h.get('metadata', {}).get('date') for h in response['hits'])
        years = Counter(d[:4] if d else 'unknown' for d in dates)
        yield n, (response['total'], [h['id'] for h in response['hits']], dict(years))


def add(a, b):
    if a[0] == 'error':
        return a
    if b[0] == 'error':
        return b
    return (a[0] + b[0], a[1] + b[1], dict(Counter(a[2]) + Counter(b[2])))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[1])
    ap.add_argument('shard_set')
    ap.add_argument('queries')
    ap.add_argument('out')
    ap.add_argument('--tongwen', default=os.path.abspath(os.path.join(os.path.dirname(__file__), '../../.build/release/tongwen')))
    ap.add_argument('--master')
    args = ap.parse_args()
    shards = read_shard_set(args.shard_set)
    if not shards:
        sys.exit('query_shards: %s names no shard' % args.shard_set)
    tongwen, queries_path = os.path.abspath(args.tongwen), os.path.abspath(args.queries)
    with open(queries_path, encoding='utf-8') as f:
        queries = [l.rstrip('\n').strip() for l in f]
    if queries and queries[-1] == '':
        queries.pop()

    from pyspark.sql import SparkSession
    builder = SparkSession.builder.appName('tongwen-query-shards')
    if args.master:
        builder = builder.master(args.master)
    spark = builder.getOrCreate()
    spark.sparkContext.addPyFile(tw.__file__)  # the executors' Python workers import it too
    answers = dict(spark.sparkContext.parallelize(shards, len(shards))
                   .flatMap(lambda shard: answer(tongwen, shard, queries_path))
                   .reduceByKey(add).collect())
    spark.stop()
    lines = []
    for n, query in enumerate(queries):
        a = answers.get(n, (0, [], {}))
        if a[0] == 'error':
            lines.append(json.dumps({'query': query, 'error': a[1]}, ensure_ascii=False))
        else:
            lines.append(json.dumps({'query': query, 'total': a[0], 'byYear': dict(sorted(a[2].items())), 'ids': sorted(a[1])}, ensure_ascii=False))
    tw.write_atomically(os.path.abspath(args.out), ''.join(l + '\n' for l in lines))


if __name__ == '__main__':
    main()
