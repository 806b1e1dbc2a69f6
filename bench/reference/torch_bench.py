#!/usr/bin/python3
"""PyTorch side of the WhichFeatures benchmark (issue 5): the same work as bench/WhichFeatures.Bench, in PyTorch.

Two ways to run it:
  * server (what the .NET benchmark uses): `python3 torch_bench.py serve --threads 2`. Reads one JSON command per
    line on stdin, answers one JSON line on stdout:
      {"cmd": "setup", "workload": "w1", ...params}  -> {"ok": true}           (builds inputs/model, warms up)
      {"cmd": "run", "seconds": 3}                   -> {"work": ..., "seconds": ..., "calls": ...}
      {"cmd": "info"}                                -> versions, BLAS, threads
      {"cmd": "quit"}
    The long-lived process lets the two sides run in alternation without paying Python/torch start-up per round.
  * memory child: `python3 torch_bench.py memory --model convnet --batch 256 --steps 20` prints peak RSS as JSON.

The models, loss and solvers mirror the C# code line by line (src/WhichFeatures/Models, Losses/InfoNceLoss.cs,
Theory/SpectralMinimizer.cs, Theory/LinearTrainer.cs). Workload 3 and 4 use torchvision per image, as SupContrast does.
"""
import argparse
import gzip
import json
import math
import os
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


# ----------------------------------------------------------------------------------------------- models (as ours)
class ConvBlock(nn.Module):
    def __init__(self, cin, cout, pool):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, 3, 1, 1, bias=False)
        self.bn = nn.BatchNorm2d(cout)
        self.pool = pool

    def forward(self, x):
        y = F.relu(self.bn(self.conv(x)))
        return F.max_pool2d(y, 2) if self.pool else y


class SmallConvNet(nn.Module):
    out = 256

    def __init__(self, cin=3, widths=(32, 64, 128, 256)):
        super().__init__()
        blocks, c = [], cin
        for i, w in enumerate(widths):
            blocks.append(ConvBlock(c, w, i < len(widths) - 1))
            c = w
        self.blocks = nn.ModuleList(blocks)

    def forward(self, x):
        for b in self.blocks:
            x = b(x)
        return F.adaptive_avg_pool2d(x, 1).flatten(1)


class BasicBlock(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.shortcut = (nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))
                         if stride != 1 or cin != cout else nn.Identity())

    def forward(self, x):
        y = F.relu(self.bn1(self.conv1(x)))
        y = self.bn2(self.conv2(y))
        return F.relu(y + self.shortcut(x))


class ResNet18(nn.Module):
    out = 512

    def __init__(self, cin=3):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, 64, 3, 1, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(64)
        stage = lambda i, o, s: nn.Sequential(BasicBlock(i, o, s), BasicBlock(o, o, 1))
        self.layer1, self.layer2 = stage(64, 64, 1), stage(64, 128, 2)
        self.layer3, self.layer4 = stage(128, 256, 2), stage(256, 512, 2)

    def forward(self, x):
        y = F.relu(self.bn1(self.conv1(x)))
        y = self.layer4(self.layer3(self.layer2(self.layer1(y))))
        return F.adaptive_avg_pool2d(y, 1).flatten(1)


class ConvN(nn.Module):
    """Models/ConvN.cs: three 3x3 stride-2 conv-BN-ReLU layers 32/64/64, 4x4 average pool, flatten to 1,024."""
    out = 64 * 4 * 4
    representation = 128   # ContrastiveModel adds Linear(1024, 128) (ConvN.DefaultRepresentationSize)

    def __init__(self, cin=3):
        super().__init__()
        layers, c = [], cin
        for w in (32, 64, 64):
            layers += [nn.Conv2d(c, w, 3, 2, 1, bias=False), nn.BatchNorm2d(w), nn.ReLU()]
            c = w
        self.layers = nn.Sequential(*layers)

    def forward(self, x):
        return F.adaptive_avg_pool2d(self.layers(x), 4).flatten(1)


class ContrastiveModel(nn.Module):
    """Backbone (+ Linear(width, p) when the backbone's representation size differs from its width) + SimCLR MLP
    head Linear(p, p) - ReLU - Linear(p, 128); returns (h, z) like ours."""

    def __init__(self, name, cin=3, proj=128):
        super().__init__()
        self.backbone = {"convnet": SmallConvNet, "convn": ConvN, "resnet18": ResNet18}[name](cin)
        width = self.backbone.out
        p = getattr(self.backbone, "representation", width)
        self.embedding = nn.Linear(width, p) if p != width else nn.Identity()
        self.head = nn.Sequential(nn.Linear(p, p), nn.ReLU(), nn.Linear(p, proj))

    def forward(self, x):
        h = self.embedding(self.backbone(x))
        return h, self.head(h)


# ------------------------------------------------------------------------------------- InfoNCE (as InfoNceLoss.cs)
def log_probabilities(z, tau):
    zn = F.normalize(z, p=2, dim=1)
    sim = zn @ zn.t() / tau
    self_mask = torch.eye(z.shape[0], dtype=torch.bool)
    logits = sim.masked_fill(self_mask, -1e9)
    return logits - logits.logsumexp(1, keepdim=True)


def from_log_probabilities(log_prob, keys):
    m = log_prob.shape[0]
    self_mask = torch.eye(m, dtype=torch.bool)
    positive = keys.unsqueeze(1).eq(keys.unsqueeze(0)) & ~self_mask
    pos_f = positive.to(log_prob.dtype)
    count = pos_f.sum(1)
    has = count.gt(0)
    pos_log_prob = log_prob.masked_fill(~positive, 0.0).mul(pos_f).sum(1)
    per_anchor = -pos_log_prob / count.clamp_min(1.0)
    n_has = has.sum().to(log_prob.dtype)
    return per_anchor.masked_fill(~has, 0.0).sum() / n_has.clamp_min(1.0)


def example_keys(n):
    return torch.arange(n, dtype=torch.int64).repeat(2)


def ucl(v1, v2, tau):
    return from_log_probabilities(log_probabilities(torch.cat([v1, v2], 0), tau), example_keys(v1.shape[0]))


def scl(v1, v2, labels, tau):
    return from_log_probabilities(log_probabilities(torch.cat([v1, v2], 0), tau), torch.cat([labels, labels], 0))


def joint(v1, v2, labels, beta, tau):
    lp = log_probabilities(torch.cat([v1, v2], 0), tau)
    return beta * from_log_probabilities(lp, torch.cat([labels, labels], 0)) + \
        (1 - beta) * from_log_probabilities(lp, example_keys(v1.shape[0]))


# ------------------------------------------------------------------ theory solvers (as SpectralMinimizer / LinearTrainer)
def positive_weights_from_keys(keys):
    m = keys.shape[0]
    mask = (keys.unsqueeze(1).eq(keys.unsqueeze(0)) & ~torch.eye(m, dtype=torch.bool)).double()
    return mask / mask.sum().clamp_min(1.0)


def pseudo_inverse(k):
    """K+ by eigh (relative cutoff 1e-10), as SpectralMinimizer.SymmetricEigen; the range projector is not needed here."""
    ev, q = torch.linalg.eigh((k + k.t()) / 2)
    mx = ev.abs().max().item()
    keep = ev.gt(1e-10 * max(mx, 1e-300))
    inv = torch.where(keep, 1.0 / ev.clamp_min(1e-300), torch.zeros_like(ev))
    return (q * inv.unsqueeze(0)) @ q.t()


def min_norm(x, a, p):
    """Same steps as SpectralMinimizer.MinNorm on its non-degenerate path (SCL: one positive eigenvalue per class)."""
    x = x.double()
    m = x.shape[0]
    target = a.double() * float(m * m)
    target = (target + target.t()) / 2
    evals_asc, evecs_asc = torch.linalg.eigh(target)
    evals, evecs = evals_asc.flip(0), evecs_asc.flip(1)
    lam = evals.tolist()
    tol = 1e-8 * max(abs(lam[0]), 1.0)
    k = min(p, sum(1 for v in lam if v > tol))
    k_pinv = pseudo_inverse(x @ x.t())
    z = torch.zeros(m, p, dtype=torch.float64)
    if k > 0:
        z[:, :k] = torch.stack([evecs[:, i] * math.sqrt(lam[i]) for i in range(k)], 1)
    w = z.t() @ k_pinv @ x
    return w, x @ w.t()


def spectral_gradient_w(x, w, a):
    m = x.shape[0]
    z = x @ w.t()
    gram = z @ z.t()
    dz = -4 * (a @ z) + (4.0 / (m * m)) * (gram @ z)
    return dz.t() @ x


def gd_run(x, labels, p, steps, lr, init_std, gen):
    """LinearTrainer.Train with spectral SCL, full batch, fixed identical views, no logging callback."""
    n, d = x.shape
    w = torch.randn(p, d, dtype=torch.float64, generator=gen) * init_std
    a = positive_weights_from_keys(torch.cat([labels, labels], 0))
    v1, v2 = x, x
    for _ in range(steps):
        rows = torch.cat([v1, v2], 0)
        w = w - lr * spectral_gradient_w(rows, w, a)
    return w


# ------------------------------------------------------------------------ augmentation (SupContrast's CIFAR recipe)
def supcontrast_transform(normalize=True):
    from torchvision import transforms
    mean, std = (0.4914, 0.4822, 0.4465), (0.2023, 0.1994, 0.2010)   # SupContrast's CIFAR-10 values
    steps = [
        transforms.RandomResizedCrop(size=32, scale=(0.2, 1.0)),
        transforms.RandomHorizontalFlip(),
        transforms.RandomApply([transforms.ColorJitter(0.4, 0.4, 0.4, 0.1)], p=0.8),
        transforms.RandomGrayscale(p=0.2),
        transforms.ToTensor(),
    ]
    if normalize:
        steps.append(transforms.Normalize(mean=mean, std=std))
    return transforms.Compose(steps)


class TwoCropTransform:
    def __init__(self, t):
        self.t = t

    def __call__(self, x):
        return [self.t(x), self.t(x)]


def read_cifar_bin(path):
    raw = gzip.open(path, "rb").read() if path.endswith(".gz") else open(path, "rb").read()
    rec = np.frombuffer(raw, dtype=np.uint8).reshape(-1, 3073)
    labels = rec[:, 0].astype(np.int64)
    images = rec[:, 1:].reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1).copy()   # HWC uint8, like torchvision's CIFAR10
    return images, labels


class CifarBinDataset(torch.utils.data.Dataset):
    """torchvision.datasets.CIFAR10's behaviour on the binary files: PIL image per item, then the transform."""

    def __init__(self, folder, transform):
        files = sorted(f for f in os.listdir(folder) if f.startswith("data_batch_"))
        parts = [read_cifar_bin(os.path.join(folder, f)) for f in files]
        self.data = np.concatenate([p[0] for p in parts])
        self.targets = np.concatenate([p[1] for p in parts])
        self.transform = transform

    def __len__(self):
        return len(self.targets)

    def __getitem__(self, i):
        from PIL import Image
        img = Image.fromarray(self.data[i])
        return self.transform(img), int(self.targets[i])


# ---------------------------------------------------------------------------------------------------- workloads
def make_sgd(model, lr=0.05):
    return torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9, weight_decay=1e-4)


def make_optimizer(model, name):
    """As the trainer's --optimizer choices (Training/OptimizerChoices.cs) at the bench's settings."""
    return make_sgd(model) if name == "sgd" else torch.optim.Adam(model.parameters(), lr=1e-3, weight_decay=1e-4)


class Workload:
    """setup() builds and warms up; step() does one unit of work and returns its size (images, calls, ...)."""
    warmup = 2

    def step(self):
        raise NotImplementedError


class TrainStep(Workload):
    """W1/W2/W8: one SimCLR training step on batch images (batch/2 examples x 2 views), fixed pre-augmented input."""

    def __init__(self, model, batch, tau=0.5, channels=3, side=32, optimizer="sgd", **_):
        torch.manual_seed(0)
        self.model = ContrastiveModel(model, cin=channels)
        self.model.train()
        self.opt = make_optimizer(self.model, optimizer)
        self.x = torch.rand(batch, channels, side, side)
        self.half = batch // 2
        self.tau = tau
        self.batch = batch
        self.warmup = 1 if model == "resnet18" else 2

    def step(self):
        _, z = self.model(self.x)
        loss = ucl(z[:self.half], z[self.half:], self.tau)
        self.opt.zero_grad()
        loss.backward()
        self.opt.step()
        return self.batch


class Augment(Workload):
    """W3: SupContrast's per-image torchvision pipeline on PIL images (no normalisation: ours outputs [0, 1] too)."""

    def __init__(self, batch, **_):
        from PIL import Image
        rng = np.random.default_rng(1)
        arr = rng.integers(0, 256, size=(batch, 32, 32, 3), dtype=np.uint8)
        self.images = [Image.fromarray(a) for a in arr]
        self.t = supcontrast_transform(normalize=False)

    def step(self):
        out = torch.stack([self.t(im) for im in self.images])
        return out.shape[0]


class Epoch(Workload):
    """W4: SupContrast-style epoch: Dataset (read the files) + TwoCropTransform + DataLoader(workers) + train."""
    warmup = 0

    def __init__(self, data, model="convnet", batch=256, workers=2, tau=0.5, limit=0, **_):
        self.folder, self.model_name, self.batch, self.workers, self.tau, self.limit = data, model, batch, workers, tau, limit
        torch.manual_seed(0)
        self.model = ContrastiveModel(model)
        self.opt = make_sgd(self.model)

    def step(self):
        ds = CifarBinDataset(self.folder, TwoCropTransform(supcontrast_transform()))
        if self.limit:
            ds = torch.utils.data.Subset(ds, range(self.limit))
        loader = torch.utils.data.DataLoader(ds, batch_size=self.batch, shuffle=True, num_workers=self.workers,
                                             pin_memory=False, drop_last=True)
        self.model.train()
        seen = 0
        for views, _ in loader:
            x = torch.cat([views[0], views[1]], 0)
            _, z = self.model(x)
            n = views[0].shape[0]
            loss = ucl(z[:n], z[n:], self.tau)
            self.opt.zero_grad()
            loss.backward()
            self.opt.step()
            seen += n
        return seen


class Loss(Workload):
    """W5: UCL / SCL / joint forward + backward on two views of n x q."""

    def __init__(self, kind, n=512, q=128, classes=10, tau=0.5, beta=0.5, **_):
        g = torch.Generator().manual_seed(3)
        self.z = torch.randn(2 * n, q, generator=g).requires_grad_(True)
        self.labels = torch.randint(0, classes, (n,), generator=g)
        self.kind, self.n, self.tau, self.beta = kind, n, tau, beta

    def step(self):
        v1, v2 = self.z[:self.n], self.z[self.n:]
        if self.kind == "ucl":
            loss = ucl(v1, v2, self.tau)
        elif self.kind == "scl":
            loss = scl(v1, v2, self.labels, self.tau)
        else:
            loss = joint(v1, v2, self.labels, self.beta, self.tau)
        self.z.grad = None
        loss.backward()
        return 1


class MinNorm(Workload):
    """W6a: min-norm minimizer of spectral SCL on X [n, d] float64, 10 balanced classes, p = 32."""
    warmup = 1

    def __init__(self, n=1000, d=4096, p=32, classes=10, **_):
        g = torch.Generator().manual_seed(5)
        self.x = torch.randn(n, d, dtype=torch.float64, generator=g)
        self.a = positive_weights_from_keys(torch.arange(n) % classes)
        self.p = p

    def step(self):
        min_norm(self.x, self.a, self.p)
        return 1


class GradientDescent(Workload):
    """W6b: full-batch GD on spectral SCL for the linear model, n x d float64, p = 32."""
    warmup = 1

    def __init__(self, n=100, d=2000, p=32, steps=1000, classes=2, **_):
        g = torch.Generator().manual_seed(7)
        self.x = torch.randn(n, d, dtype=torch.float64, generator=g)
        self.labels = torch.arange(n) % classes
        self.p, self.steps = p, steps

    def step(self):
        gd_run(self.x, self.labels, self.p, self.steps, 0.2, 1e-4, torch.Generator().manual_seed(11))
        return 1


class Sgemm(Workload):
    """Peak: float32 matmul n x n x n (GFLOP = 2 n^3 / 1e9 per call)."""

    def __init__(self, n=2048, **_):
        self.a, self.b = torch.rand(n, n), torch.rand(n, n)

    def step(self):
        torch.mm(self.a, self.b)
        return 1


WORKLOADS = {"train": TrainStep, "augment": Augment, "epoch": Epoch, "loss": Loss, "minnorm": MinNorm,
             "gd": GradientDescent, "sgemm": Sgemm}


def rss_mb(key="VmRSS:"):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(key):
                return int(line.split()[1]) / 1024.0
    return float("nan")


def info():
    cfg = torch.__config__.show()
    blas = "OpenBLAS" if "openblas" in cfg.lower() else "?"
    libs = set()
    try:
        with open("/proc/self/maps") as f:
            for line in f:
                p = line.split()[-1]
                if "blas" in p.lower() or "lapack" in p.lower():
                    libs.add(p)
    except OSError:
        pass
    import torchvision
    return {"torch": torch.__version__, "torchvision": torchvision.__version__, "numpy": np.__version__,
            "python": sys.version.split()[0], "threads": torch.get_num_threads(), "blas_build": blas,
            "blas_loaded": sorted(libs), "openblas_coretype": os.environ.get("OPENBLAS_CORETYPE", ""),
            "mkldnn": torch.backends.mkldnn.is_available()}


def serve(threads):
    torch.set_num_threads(threads)
    current = None
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        msg = json.loads(line)
        try:
            cmd = msg.pop("cmd")
            if cmd == "quit":
                break
            if cmd == "info":
                reply = info()
            elif cmd == "setup":
                current = None
                name = msg.pop("workload")
                current = WORKLOADS[name](**msg)
                with torch.no_grad() if name in ("sgemm", "minnorm", "gd") else torch.enable_grad():
                    for _ in range(current.warmup):
                        current.step()
                reply = {"ok": True}
            elif cmd == "run":
                seconds, min_calls = float(msg.get("seconds", 1.0)), int(msg.get("min_calls", 1))
                work, calls, t0 = 0.0, 0, time.perf_counter()
                while calls < min_calls or time.perf_counter() - t0 < seconds:
                    work += current.step()
                    calls += 1
                reply = {"work": work, "seconds": time.perf_counter() - t0, "calls": calls, "rss_mb": rss_mb()}
            else:
                raise ValueError(f"unknown command {cmd}")
        except Exception as e:  # report, keep serving
            reply = {"error": f"{type(e).__name__}: {e}"}
        sys.stdout.write(json.dumps(reply) + "\n")
        sys.stdout.flush()


def memory(model, batch, steps, threads, report_at):
    """Peak RSS of a fresh process doing `steps` training steps; RSS at the steps in report_at."""
    torch.set_num_threads(threads)
    w = TrainStep(model, batch)
    rss = {}
    for s in range(1, steps + 1):
        w.step()
        if s in report_at:
            rss[str(s)] = rss_mb()
    print(json.dumps({"peak_rss_mb": rss_mb("VmHWM:"), "rss_mb": rss, "steps": steps}))


def linalg_profile(seconds, threads):
    """Twin of the .NET --profile-linalg: workload 6's float64 BLAS/LAPACK calls one by one."""
    torch.set_num_threads(threads)
    g = torch.Generator().manual_seed(5)
    x = torch.randn(1000, 4096, dtype=torch.float64, generator=g)
    k = x @ x.t()
    rows = torch.randn(200, 2000, dtype=torch.float64, generator=g)
    w = torch.randn(32, 2000, dtype=torch.float64, generator=g)
    a = torch.rand(200, 200, dtype=torch.float64, generator=g)

    def step():
        z = rows @ w.t()
        gram = z @ z.t()
        dz = -4 * (a @ z) + (4.0 / (200.0 * 200.0)) * (gram @ z)
        dz.t() @ rows

    target = positive_weights_from_keys(torch.arange(1000) % 10) * 1e6
    ops = [("eigh target M2A (SCL)", lambda: torch.linalg.eigh(target)), ("X Xt 1000x4096x1000", lambda: x @ x.t()), ("eigh 1000", lambda: torch.linalg.eigh(k)),
           ("gd: X Wt 200x2000x32", lambda: rows @ w.t()), ("gd: dZt X 32x200x2000", lambda: w[:, :200] @ rows),
           ("gd: one full step", step)]
    for name, op in ops:
        op()
        calls, t0 = 0, time.perf_counter()
        while time.perf_counter() - t0 < seconds:
            op()
            calls += 1
        print(f"  {name:<26} {1000 * (time.perf_counter() - t0) / calls:9.3f} ms/call ({calls} calls)")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="mode", required=True)
    s = sub.add_parser("serve")
    s.add_argument("--threads", type=int, default=2)
    m = sub.add_parser("memory")
    m.add_argument("--model", default="convnet")
    m.add_argument("--batch", type=int, default=256)
    m.add_argument("--steps", type=int, default=20)
    m.add_argument("--threads", type=int, default=2)
    m.add_argument("--report-at", default="")
    sub.add_parser("info")
    lp = sub.add_parser("linalg")
    lp.add_argument("--seconds", type=float, default=1.0)
    lp.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    if args.mode == "serve":
        serve(args.threads)
    elif args.mode == "memory":
        at = {int(v) for v in args.report_at.split(",") if v}
        memory(args.model, args.batch, args.steps, args.threads, at)
    elif args.mode == "linalg":
        linalg_profile(args.seconds, args.threads)
    else:
        print(json.dumps(info(), indent=1))


if __name__ == "__main__":
    main()
