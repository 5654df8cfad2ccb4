"""Feeds build/bench/unpack_blobs: every str/bytes constant of 40+ bytes in
the .py files of /work/shared/corpus/malicious-dev.zip (or the zip named as
argument), length prefixed, on stdout.

The corpus is LIVE MALWARE: it is read in memory only (never extracted to
disk), and the sources are only parsed (ast.parse), never executed.
usage: python3 bench/unpack_corpus_feed.py [ZIP] | build/bench/unpack_blobs
"""
import zipfile, io, tarfile, ast, struct, sys, warnings
warnings.filterwarnings('ignore')
z = zipfile.ZipFile(sys.argv[1] if len(sys.argv) > 1 else '/work/shared/corpus/malicious-dev.zip')
out = sys.stdout.buffer
count = 0
for nm in z.namelist():
    if nm.endswith('/'): continue
    data = z.read(nm, pwd=b'infected')
    srcs = []
    try:
        if nm.endswith(('.tar.gz', '.tgz', '.tar.bz2', '.tar')):
            t = tarfile.open(fileobj=io.BytesIO(data))
            srcs = [t.extractfile(m).read() for m in t.getmembers() if m.isfile() and m.name.endswith('.py') and m.size < 5 << 20]
        elif nm.endswith(('.zip', '.whl', '.egg')):
            zz = zipfile.ZipFile(io.BytesIO(data))
            srcs = [zz.read(m) for m in zz.namelist() if m.endswith('.py')]
        elif nm.endswith('.py'):
            srcs = [data]
    except Exception:
        continue
    for s in srcs:
        try:
            tree = ast.parse(s)
        except Exception:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, (str, bytes)) and len(node.value) >= 40:
                v = node.value.encode('utf-8', 'surrogatepass') if isinstance(node.value, str) else node.value
                out.write(struct.pack('<I', len(v)) + v)
                count += 1
sys.stderr.write('constants %d\n' % count)
