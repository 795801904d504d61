#!/usr/bin/env python3
"""Builds a Tongwen index of a large corpus as N shards on Apache Spark.

  spark-submit scripts/spark/index_shards.py CORPUS OUTPUT --shards N [--tongwen BIN]
  python3 scripts/spark/index_shards.py CORPUS OUTPUT --shards 4 --master 'local[2,4]'

Every file `tongwen index CORPUS` would read goes to shard crc32(relative path) mod N. One Spark
task per shard runs `tongwen index --files-from LIST --root CORPUS` into a hidden folder beside
the others, checks it with `tongwen check` and renames it to OUTPUT/shard-K: a failed or killed
attempt leaves only a hidden folder, which the retry removes. Once every shard is in place the
driver writes OUTPUT/shards.txt, the shard-set file `tongwen search --shards` and `tongwen serve
--shards` read. Document ids are paths relative to CORPUS, as with one index, so the shards
searched together rank exactly as one index over the corpus.

CORPUS, OUTPUT and the binary must be at the same paths on the driver and every executor (local
mode, NFS or a cluster's shared mount); --fault-shard K kills shard K's first attempt (tests).
"""
import argparse
import json
import os
import shutil
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tongwen_spark as tw  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[1])
    ap.add_argument('corpus')
    ap.add_argument('output')
    ap.add_argument('--shards', type=int, required=True)
    ap.add_argument('--tongwen', default=os.path.abspath(os.path.join(os.path.dirname(__file__), '../../.build/release/tongwen')))
    ap.add_argument('--master', help="Spark master when not run by spark-submit, e.g. 'local[2,4]' (2 cores, 4 tries a task)")
    ap.add_argument('--overwrite', action='store_true', help='replace the shards of an earlier run in OUTPUT')
    ap.add_argument('--fault-shard', type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.shards < 1:
        sys.exit('index_shards: --shards must be at least 1')
    corpus, output, tongwen = (os.path.abspath(p) for p in (args.corpus, args.output, args.tongwen))
    if not os.path.isdir(corpus):
        sys.exit('index_shards: %s: no such folder' % corpus)
    if not os.access(tongwen, os.X_OK):
        sys.exit('index_shards: %s: no tongwen binary (swift build -c release, or --tongwen PATH)' % tongwen)
    os.makedirs(output, exist_ok=True)
    existing = [n for n in os.listdir(output) if n.startswith('shard-') or n == 'shards.txt']
    if existing and not args.overwrite:
        sys.exit('index_shards: %s already holds shards (%s …); give --overwrite or a new folder' % (output, existing[0]))
    for name in os.listdir(output):
        path = os.path.join(output, name)
        if name.startswith(('shard-', '.shard-')):
            shutil.rmtree(path) if os.path.isdir(path) else os.unlink(path)
        elif name == 'shards.txt':
            os.unlink(path)

    files = tw.corpus_files(corpus)
    if not files:
        sys.exit('index_shards: %s holds no .txt, .md or .jsonl file' % corpus)
    groups = [[] for _ in range(args.shards)]
    for f in files:
        groups[tw.shard_of(f, args.shards)].append(f)

    from pyspark import TaskContext
    from pyspark.sql import SparkSession
    builder = SparkSession.builder.appName('tongwen-index-shards')
    if args.master:
        builder = builder.master(args.master)
    spark = builder.getOrCreate()
    spark.sparkContext.addPyFile(tw.__file__)  # the executors' Python workers import it too
    fault = args.fault_shard

    def build(item):
        shard, shard_files = item
        attempt = TaskContext.get().attemptNumber()
        return tw.build_shard(tongwen, corpus, output, shard, shard_files, attempt, kill=(shard == fault and attempt == 0))

    start = time.time()
    work = [(k, g) for k, g in enumerate(groups) if g]
    results = spark.sparkContext.parallelize(work, len(work)).map(build).collect()
    spark.stop()
    names = [tw.shard_name(r['shard']) for r in sorted(results, key=lambda r: r['shard'])]
    tw.write_atomically(os.path.join(output, 'shards.txt'), '# tongwen shard set: %d shards of %s\n' % (len(names), corpus) + ''.join(n + '\n' for n in names))
    print(json.dumps({'shards': len(names), 'files': len(files), 'seconds': round(time.time() - start, 2),
                      'shardSet': os.path.join(output, 'shards.txt')}))


if __name__ == '__main__':
    main()
