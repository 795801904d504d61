#!/usr/bin/env python3
"""The duplicate finder over a shard set, its pairwise stages as Spark tasks.

  spark-submit scripts/spark/dupes_shards.py SHARDS.txt OUTPUT --parts N [--tongwen BIN]
  python3 scripts/spark/dupes_shards.py SHARDS.txt OUTPUT --parts 4 --master 'local[2,4]'

The shards' live documents are split into N parts (contiguous ranges). Spark runs four steps:
  1. prepare, one task a part: `tongwen dupes-stage prepare` writes the part's comparison units
     into OUTPUT/units and prints its fingerprints (hash, document, position, part), which go to
     OUTPUT/fingerprints as one TSV file a part;
  2. the shuffle, on Spark's SQL engine: fingerprints grouped by hash, hashes seen twice or more
     kept, and each part given every occurrence of each kept hash it holds (OUTPUT/seeds);
  3. pairs, one task a part: `tongwen dupes-stage pairs` reads those seeds on standard input and
     aligns the document pairs whose first document is in its part (OUTPUT/pairs);
  4. the report, on the driver: `tongwen dupes --shards SHARDS.txt --pairs OUTPUT/pairs --json`
     clusters and reports, as `tongwen dupes` over the same shards does, into OUTPUT/dupes.jsonl.
Every file a task writes appears under its final name in one rename, so a killed attempt leaves
only hidden temporary files that the retry and Spark's readers ignore. The fingerprints and seeds
and units are removed at the end (--keep-work keeps them); the pairs stay, so `tongwen dupes --shards
SHARDS.txt --pairs OUTPUT/pairs` shows the report on a terminal, by document or one passage.

SHARDS.txt, OUTPUT and the binary must be at the same paths on the driver and every executor
(local mode, NFS or a cluster's shared mount); --fault-part K kills part K's first pairs attempt.
"""
import argparse
import glob
import json
import os
import shutil
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tongwen_spark as tw  # noqa: E402


def part_args(shards, units, part, parts):
    return ['--shards', shards, '--part', str(part), '--parts', str(parts), '--units', units]


def prepare(tongwen, shards, output, part, parts, attempt):
    """Step 1 for `part`: units (written by tongwen, atomically) and the fingerprints file."""
    final = os.path.join(output, 'fingerprints', 'part-%05d.tsv' % part)
    temporary = os.path.join(output, 'fingerprints', '.part-%05d.tsv.attempt-%d-%d' % (part, attempt, os.getpid()))
    start = time.time()
    with open(temporary, 'wb') as out:
        done = subprocess.run([tongwen, 'dupes-stage', 'prepare'] + part_args(shards, os.path.join(output, 'units'), part, parts),
                              stdout=out, stderr=subprocess.PIPE)
    if done.returncode != 0:
        os.unlink(temporary)
        raise RuntimeError('tongwen dupes-stage prepare of part %d failed (exit %d): %s' % (part, done.returncode, done.stderr.decode()[-2000:]))
    os.rename(temporary, final)
    return {'part': part, 'seconds': time.time() - start}


def seed_files(output, part):
    folder = os.path.join(output, 'seeds', 'part=%d' % part)
    return sorted(f for f in glob.glob(os.path.join(folder, '*')) if not os.path.basename(f).startswith(('.', '_')))


def pairs(tongwen, shards, output, part, parts, attempt, kill=False):
    """Step 3 for `part`: its seeds streamed into `tongwen dupes-stage pairs`. With `kill`, the
    process is sent SIGKILL once it has been given the first block of seeds (it cannot end before
    its input does) and this attempt fails."""
    start = time.time()
    command = [tongwen, 'dupes-stage', 'pairs'] + part_args(shards, os.path.join(output, 'units'), part, parts)
    command += ['--out', os.path.join(output, 'pairs')]
    process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        for path in seed_files(output, part):
            with open(path, 'rb') as f:
                while True:
                    block = f.read(1 << 20)
                    if not block:
                        break
                    process.stdin.write(block)
                    if kill:
                        os.kill(process.pid, signal.SIGKILL)
                        process.wait()
                        raise RuntimeError('killed tongwen dupes-stage pairs of part %d (fault injection, attempt %d)' % (part, attempt))
        if kill:
            raise RuntimeError('part %d has no seeds to kill its pairs stage in' % part)
        process.stdin.close()
    except BrokenPipeError:
        pass  # tongwen ended early: its exit status and message say why
    error = process.stderr.read().decode()
    if process.wait() != 0:
        raise RuntimeError('tongwen dupes-stage pairs of part %d failed (exit %d): %s' % (part, process.returncode, error[-2000:]))
    return {'part': part, 'seconds': time.time() - start}


def shuffle(spark, output, parts):
    """Step 2: each part's seeds, written by Spark as OUTPUT/seeds/part=K/*.csv (tab-separated)."""
    fingerprints = spark.read.csv(os.path.join(output, 'fingerprints'), sep='\t',
                                  schema='hash LONG, doc INT, position INT, part INT')
    kept = fingerprints.groupBy('hash').count().filter('count >= 2').select('hash')
    touched = fingerprints.select('hash', 'part').distinct().join(kept, 'hash')
    seeds = touched.join(fingerprints.select('hash', 'doc', 'position'), 'hash')
    seeds.repartition(parts, 'part').write.mode('overwrite').partitionBy('part').csv(os.path.join(output, 'seeds'), sep='\t')


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[1])
    ap.add_argument('shards', help='a shard-set file (index_shards.py writes OUTPUT/shards.txt)')
    ap.add_argument('output')
    ap.add_argument('--parts', type=int, required=True, help='how many parts (tasks) the documents are split into')
    ap.add_argument('--tongwen', default=os.path.abspath(os.path.join(os.path.dirname(__file__), '../../.build/release/tongwen')))
    ap.add_argument('--master', help="Spark master when not run by spark-submit, e.g. 'local[2,4]' (2 cores, 4 tries a task)")
    ap.add_argument('--keep-work', action='store_true', help='keep the units, fingerprints and seeds')
    ap.add_argument('--full-text', action='store_true', help='every passage in full in dupes.jsonl (its whole text and every copy)')
    ap.add_argument('--fault-part', type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.parts < 1:
        sys.exit('dupes_shards: --parts must be at least 1')
    shards, output, tongwen = (os.path.abspath(p) for p in (args.shards, args.output, args.tongwen))
    if not os.path.isfile(shards):
        sys.exit('dupes_shards: %s: no such shard-set file' % shards)
    if not os.access(tongwen, os.X_OK):
        sys.exit('dupes_shards: %s: no tongwen binary (swift build -c release, or --tongwen PATH)' % tongwen)
    for name in ('units', 'fingerprints', 'seeds', 'pairs'):
        shutil.rmtree(os.path.join(output, name), ignore_errors=True)
    for name in ('units', 'fingerprints', 'pairs'):
        os.makedirs(os.path.join(output, name))

    from pyspark import TaskContext
    from pyspark.sql import SparkSession
    builder = SparkSession.builder.appName('tongwen-dupes')
    if args.master:
        builder = builder.master(args.master)
    spark = builder.getOrCreate()
    spark.sparkContext.addPyFile(tw.__file__)
    parts, fault = args.parts, args.fault_part

    def attempt():
        return TaskContext.get().attemptNumber()

    timings, start = {}, time.time()
    spark.sparkContext.parallelize(range(parts), parts).map(lambda k: prepare(tongwen, shards, output, k, parts, attempt())).collect()
    timings['prepare'] = time.time() - start
    shuffle(spark, output, parts)
    timings['shuffle'] = time.time() - start - sum(timings.values())
    spark.sparkContext.parallelize(range(parts), parts).map(
        lambda k: pairs(tongwen, shards, output, k, parts, attempt(), kill=(k == fault and attempt() == 0))).collect()
    timings['pairs'] = time.time() - start - sum(timings.values())
    spark.stop()

    report = os.path.join(output, 'dupes.jsonl')
    temporary = report + '.tmp-%d' % os.getpid()
    with open(temporary, 'wb') as out:
        done = subprocess.run([tongwen, 'dupes', '--shards', shards, '--pairs', os.path.join(output, 'pairs'), '--json', '--limit', '0'] + (['--full-text'] if args.full_text else []),
                              stdout=out, stderr=subprocess.PIPE)
    if done.returncode != 0:
        os.unlink(temporary)
        sys.exit('dupes_shards: the report failed (exit %d): %s' % (done.returncode, done.stderr.decode()[-2000:]))
    os.rename(temporary, report)
    timings['report'] = time.time() - start - sum(timings.values())
    if not args.keep_work:
        for name in ('fingerprints', 'seeds', 'units'):
            shutil.rmtree(os.path.join(output, name), ignore_errors=True)
    print(json.dumps({'parts': parts, 'report': report, 'seconds': round(time.time() - start, 2),
                      'stages': {k: round(v, 2) for k, v in timings.items()}}))


if __name__ == '__main__':
    main()
