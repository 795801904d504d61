"""What the Spark jobs share: the corpus listing, shard assignment and running `tongwen`.

Spark schedules, retries and moves data; every text operation is the `tongwen` binary, run by
the executors on files they can read at the same paths as the driver (local mode, NFS, or a
cluster's shared mount). See README "Beyond one machine".
"""
import os
import shutil
import signal
import subprocess
import time
import zlib

SUFFIXES = ('.txt', '.md', '.jsonl', '.txt.gz', '.md.gz', '.jsonl.gz', '.txt.xz', '.md.xz', '.jsonl.xz')


def corpus_files(root):
    """Every file `tongwen index ROOT` would read, as paths relative to ROOT, sorted."""
    found = []
    for folder, dirs, names in os.walk(root, followlinks=True):
        dirs.sort()
        for name in names:
            if name.endswith(SUFFIXES):
                found.append(os.path.relpath(os.path.join(folder, name), root))
    return sorted(found)


def shard_of(relative_path, shards):
    """The shard a file belongs to: stable across runs, machines and Python versions."""
    return zlib.crc32(relative_path.encode('utf-8')) % shards


def shard_name(shard):
    return 'shard-%05d' % shard


def run(command, what):
    """Runs a tongwen command; a failure raises with its standard error (Spark then retries)."""
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError('%s failed (exit %d): %s' % (what, done.returncode, done.stderr.strip()[-2000:]))
    return done.stdout


def remove_stale(output, shard):
    """Removes what earlier attempts at `shard` left (they are hidden: search never reads them)."""
    prefix = '.' + shard_name(shard) + '.attempt-'
    for name in os.listdir(output):
        if name.startswith(prefix):
            path = os.path.join(output, name)
            if os.path.isdir(path):
                shutil.rmtree(path, ignore_errors=True)
            else:
                os.unlink(path)


def build_shard(tongwen, root, output, shard, files, attempt, kill=False):
    """Indexes `files` (relative to `root`) as OUTPUT/shard-K: into a hidden temporary folder,
    checked, then renamed into place in one step. With `kill`, the `tongwen index` process is
    sent SIGKILL at a fixed point (it holds the new index open and has not read its file list:
    the list is a FIFO written only after the kill) and this attempt fails."""
    final = os.path.join(output, shard_name(shard))
    if os.path.isdir(final):  # another attempt (or an earlier run of the job) finished it
        return {'shard': shard, 'documents': None, 'seconds': 0.0, 'reused': True}
    remove_stale(output, shard)
    temporary = os.path.join(output, '.%s.attempt-%d-%d' % (shard_name(shard), attempt, os.getpid()))
    listing = temporary + '.list'
    start = time.time()
    command = [tongwen, 'index', '--files-from', listing, '--root', root, '--index', temporary, '--quiet']
    if kill:
        os.mkfifo(listing)
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        while not os.path.exists(os.path.join(temporary, 'LOCK')):
            if process.poll() is not None:
                raise RuntimeError('tongwen index ended before the kill point')
            time.sleep(0.01)
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        raise RuntimeError('killed tongwen index of %s (fault injection, attempt %d)' % (shard_name(shard), attempt))
    with open(listing, 'w', encoding='utf-8') as f:
        f.write(''.join(p + '\n' for p in files))
    summary = run(command, 'tongwen index of ' + shard_name(shard))
    run([tongwen, 'check', '--index', temporary], 'tongwen check of ' + shard_name(shard))
    os.unlink(listing)
    try:
        os.rename(temporary, final)
    except OSError:
        if not os.path.isdir(final):
            raise
        shutil.rmtree(temporary, ignore_errors=True)  # a twin attempt won the race
    return {'shard': shard, 'documents': len(files), 'seconds': time.time() - start, 'summary': summary.strip(), 'reused': False}


def write_atomically(path, text):
    temporary = path + '.tmp-%d' % os.getpid()
    with open(temporary, 'w', encoding='utf-8') as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    os.rename(temporary, path)
