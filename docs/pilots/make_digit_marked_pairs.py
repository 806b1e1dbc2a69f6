# A composite hierarchy for the joint-loss pilots of docs/real-experiments.md ("Third round"): every CIFAR-10 image
# keeps its object as the subclass, and its class is the object pair it belongs to (docs/pilots/cifar10-pairs5.json);
# an MNIST digit that names the class (0-4) is max-blended into the centre 28x28, so the class is carried by a simple
# mark as well as by the objects. Written in CIFAR-10's binary format, so `train --dataset cifar10` reads it:
#
#   /usr/bin/python3 docs/pilots/make_digit_marked_pairs.py ../shared/data /tmp/marked [AGREE]
#
# AGREE (default 1): the share of images whose digit names their own pair; the others carry the digit of another pair,
# drawn uniformly, so the mark alone reads the class at AGREE and the objects must do the rest.
#   whichfeatures train --dataset cifar10 --data-dir /tmp/marked --superclass-map docs/pilots/cifar10-pairs5.json ...
import gzip, numpy as np, sys, os
src = sys.argv[1]; out = sys.argv[2]; agree = float(sys.argv[3]) if len(sys.argv) > 3 else 1.0; os.makedirs(out + "/cifar-10-batches-bin", exist_ok=True)
pairs = {0: 0, 8: 0, 1: 1, 9: 1, 3: 2, 5: 2, 4: 3, 7: 3, 2: 4, 6: 4}   # object -> class, in cifar10-pairs5.json's order
def mnist(kind):
    with gzip.open(f"{src}/mnist/{kind}-images-idx3-ubyte.gz") as f: x = np.frombuffer(f.read(), np.uint8, offset=16).reshape(-1, 28, 28)
    with gzip.open(f"{src}/mnist/{kind}-labels-idx1-ubyte.gz") as f: y = np.frombuffer(f.read(), np.uint8, offset=8)
    return x, y
def cifar(name):
    with gzip.open(f"{src}/cifar-10-batches-bin/{name}.bin.gz") as f: r = np.frombuffer(f.read(), np.uint8).reshape(-1, 3073)
    return r
rng = np.random.default_rng(20231)
for kind, names in (("train", [f"data_batch_{i}" for i in range(1, 6)]), ("t10k", ["test_batch"])):
    mx, my = mnist(kind)
    pools = {c: rng.permutation(np.flatnonzero(my == c)) for c in range(5)}
    used = {c: 0 for c in range(5)}
    for name in names:
        r = cifar(name).copy()
        for i in range(len(r)):
            c = pairs[int(r[i, 0])]
            if agree < 1 and rng.random() >= agree: c = (c + 1 + int(rng.integers(4))) % 5   # another pair's digit
            d = mx[pools[c][used[c] % len(pools[c])]]; used[c] += 1
            img = r[i, 1:].reshape(3, 32, 32)
            img[:, 2:30, 2:30] = np.maximum(img[:, 2:30, 2:30], d[None])
            r[i, 1:] = img.reshape(-1)
        r.tofile(f"{out}/cifar-10-batches-bin/{name}.bin")
with open(f"{src}/cifar-10-batches-bin/batches.meta.txt", "rb") as f, open(f"{out}/cifar-10-batches-bin/batches.meta.txt", "wb") as g: g.write(f.read())
print("ok")
