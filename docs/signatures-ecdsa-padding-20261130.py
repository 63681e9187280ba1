# One-off: for every signed ECDSA image (as scripts/signature-evidence walks them), how many zero
# bytes follow the DER signature in its signature field. Uses that script's own readers.
import importlib.machinery, importlib.util, os, sys, collections
loader = importlib.machinery.SourceFileLoader("sigev", "scripts/signature-evidence")
spec = importlib.util.spec_from_loader("sigev", loader); ev = importlib.util.module_from_spec(spec); loader.exec_module(ev)
from cryptography.hazmat.primitives.asymmetric import ec
root = sys.argv[1]; seen = set(); count = collections.Counter(); versions = collections.Counter()
for directory, subdirectories, files in os.walk(root):
    subdirectories.sort()
    for name in sorted(files):
        path = os.path.join(directory, name)
        if not name.endswith((".mbn", ".mdt")) or os.path.realpath(path) in seen:
            continue
        seen.add(os.path.realpath(path))
        h = ev.hash_segment(path)
        parts = ev.layout(h) if h and len(h) >= 40 else None
        if parts is None or parts[3] == 0:
            continue
        version, end, qti, sig_size, chain_size = parts
        at = end + qti
        signature = h[at:at + sig_size]
        chain = ev.certificates(h[at + sig_size:at + sig_size + chain_size])
        if not isinstance(chain[0].public_key(), ec.EllipticCurvePublicKey):
            continue
        der = 2 + signature[1]
        pad = signature[der:]
        assert set(pad) <= {0}, path
        count[len(pad)] += 1; versions[version] += 1
        print(os.path.relpath(path, root), "v%d" % version, "field", sig_size, "DER", der, "zero bytes after", len(pad))
print("ECDSA images:", sum(count.values()), "by zero bytes after the DER:", dict(sorted(count.items())), "by MBN version:", dict(sorted(versions.items())))
