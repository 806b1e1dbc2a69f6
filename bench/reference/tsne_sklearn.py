#!/usr/bin/python3
"""scikit-learn side of the t-SNE benchmark (bench/WhichFeatures.Bench/TsneBench.cs).

Writes the input sets into --out when they are missing (NAME_x.npy float64 [N, D], NAME_y.npy int64 [N]):
  synthetic  3,000 x 50: 10 classes of 3 subclasses each, a known two-level cluster structure (labels: class);
  mnist      5,000 x 50: the first 5,000 MNIST test images (--mnist DIR), pixels/255 projected on their top 50
             principal components (the usual t-SNE encoding of MNIST);
  speed      10,000 x 128: 20 Gaussian clusters (the speed set named in the issue: 10,000 x 128).
Any other NAME_x.npy / NAME_y.npy pair already in --out (e.g. trainer_x.npy from `whichfeatures export`) is mapped too.
For every set, fits sklearn.manifold.TSNE with its defaults (perplexity 30, n_iter 1000, init "pca", learning rate
"auto", Barnes-Hut, angle 0.5), random_state 0, and saves NAME_sklearn.npy; prints one JSON line per set with the
fit seconds, its KL divergence, and sklearn.manifold.trustworthiness at k = 10 and 30 of that map.
"""
import argparse, glob, gzip, json, os, time
import numpy as np
from sklearn.manifold import TSNE, trustworthiness
import sklearn

p = argparse.ArgumentParser()
p.add_argument("--out", required=True)
p.add_argument("--mnist", default=None, help="folder with t10k-images-idx3-ubyte.gz and t10k-labels-idx1-ubyte.gz")
p.add_argument("--only", default=None, help="comma-separated set names")
a = p.parse_args()
os.makedirs(a.out, exist_ok=True)

def save(name, x, y):
    np.save(os.path.join(a.out, f"{name}_x.npy"), x.astype(np.float64))
    np.save(os.path.join(a.out, f"{name}_y.npy"), y.astype(np.int64))

def exists(name):
    return os.path.exists(os.path.join(a.out, f"{name}_x.npy"))

rng = np.random.default_rng(0)
if not exists("synthetic"):
    classes = rng.normal(scale=6.0, size=(10, 50))
    subs = classes[:, None, :] + rng.normal(scale=2.0, size=(10, 3, 50))
    y = np.repeat(np.arange(10), 300); s = np.tile(np.repeat(np.arange(3), 100), 10)
    save("synthetic", subs[y, s] + rng.normal(scale=0.5, size=(3000, 50)), y)
if not exists("speed"):
    centres = rng.normal(scale=3.0, size=(20, 128))
    y = rng.integers(0, 20, size=10000)
    save("speed", centres[y] + rng.normal(size=(10000, 128)), y)
if not exists("mnist") and a.mnist:
    with gzip.open(os.path.join(a.mnist, "t10k-images-idx3-ubyte.gz")) as f:
        x = np.frombuffer(f.read(), np.uint8, offset=16).reshape(-1, 784)[:5000] / 255.0
    with gzip.open(os.path.join(a.mnist, "t10k-labels-idx1-ubyte.gz")) as f:
        y = np.frombuffer(f.read(), np.uint8, offset=8)[:5000]
    c = x - x.mean(0)
    _, _, vt = np.linalg.svd(c, full_matrices=False)
    save("mnist", c @ vt[:50].T, y)

names = sorted(os.path.basename(f)[:-6] for f in glob.glob(os.path.join(a.out, "*_x.npy")))
if a.only: names = [n for n in names if n in a.only.split(",")]
for name in names:
    x = np.load(os.path.join(a.out, f"{name}_x.npy"))
    t = time.perf_counter()
    tsne = TSNE(n_components=2, random_state=0, init="pca", learning_rate="auto")
    m = tsne.fit_transform(x)
    seconds = time.perf_counter() - t
    np.save(os.path.join(a.out, f"{name}_sklearn.npy"), m.astype(np.float64))
    print(json.dumps({"set": name, "rows": int(x.shape[0]), "dims": int(x.shape[1]), "seconds": seconds,
                      "kl": float(tsne.kl_divergence_), "iterations": int(tsne.n_iter_),
                      "trust10": float(trustworthiness(x, m, n_neighbors=10)),
                      "trust30": float(trustworthiness(x, m, n_neighbors=30)), "sklearn": sklearn.__version__}), flush=True)
