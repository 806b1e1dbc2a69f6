#!/usr/bin/python3
"""scikit-learn side of the offline-probe benchmark (bench/WhichFeatures.Bench/ProbeBench.cs).

Writes to --out: train_x.npy [50000, 512] float32 and test_x.npy [10000, 512] float32, both standardised with the
training mean and std; train_y.npy / test_y.npy (10 classes); train_labels.csv / test_labels.csv with 3 attributes
for the diagnose timing (class; parity = class mod 2; noise = a random bit). The data: a seeded Gaussian mixture,
class means of norm 2.5 in a random 512-d direction, unit noise (no class is perfectly separable).
Then fits LogisticRegression(solver="lbfgs", max_iter=100) with the same L2 as our probe: ours minimises
mean cross-entropy + wd/2 ||W||^2, scikit-learn C * sum cross-entropy + 1/2 ||W||^2, so C = 1 / (wd * N).
Prints one JSON line: fit seconds, train/test accuracy, iterations, threads.
"""
import argparse, json, os, time
import numpy as np

p = argparse.ArgumentParser()
p.add_argument("--out", required=True)
p.add_argument("--n", type=int, default=50000)
p.add_argument("--n-test", type=int, default=10000)
p.add_argument("--d", type=int, default=512)
p.add_argument("--classes", type=int, default=10)
p.add_argument("--wd", type=float, default=1e-4)
p.add_argument("--max-iter", type=int, default=100)
a = p.parse_args()
os.makedirs(a.out, exist_ok=True)
rng = np.random.default_rng(0)
means = rng.normal(size=(a.classes, a.d)); means *= 2.5 / np.linalg.norm(means, axis=1, keepdims=True)
def draw(n):
    y = rng.integers(0, a.classes, size=n)
    return (means[y] + rng.normal(size=(n, a.d))).astype(np.float32), y
xtr, ytr = draw(a.n); xte, yte = draw(a.n_test)
mu, sd = xtr.mean(0, keepdims=True), xtr.std(0, keepdims=True)
xtr = ((xtr - mu) / sd).astype(np.float32); xte = ((xte - mu) / sd).astype(np.float32)
np.save(os.path.join(a.out, "train_x.npy"), xtr); np.save(os.path.join(a.out, "test_x.npy"), xte)
np.save(os.path.join(a.out, "train_y.npy"), ytr); np.save(os.path.join(a.out, "test_y.npy"), yte)
for name, y in (("train", ytr), ("test", yte)):
    noise = rng.integers(0, 2, size=len(y))
    with open(os.path.join(a.out, f"{name}_labels.csv"), "w") as f:
        f.write("id,class,parity,noise\n")
        f.writelines(f"{i},{c},{c % 2},{b}\n" for i, (c, b) in enumerate(zip(y, noise)))

from sklearn.linear_model import LogisticRegression
from threadpoolctl import threadpool_info
clf = LogisticRegression(solver="lbfgs", C=1.0 / (a.wd * a.n), max_iter=a.max_iter)
t = time.perf_counter()
clf.fit(xtr, ytr)
sec = time.perf_counter() - t
print(json.dumps({"side": "sklearn", "fit_seconds": sec, "train_acc": float(clf.score(xtr, ytr)), "test_acc": float(clf.score(xte, yte)),
                  "iterations": int(np.max(clf.n_iter_)), "threads": [i.get("num_threads") for i in threadpool_info()]}))
