#!/usr/bin/env python3
"""What Core/NativeAllocation buys: the real suite's three training presets, one epoch each, with glibc's and
libtorch's allocation defaults (WHICHFEATURES_MALLOC_DEFAULTS=1, THP_MEM_ALLOC_ENABLE=0) and with the CLI's own
policy (freed memory kept, huge pages), in alternation, each run a fresh process on 1 thread. Prints training
images/s, wall time, minor page faults and peak RSS per run, the median ratio per preset, and whether the two
settings gave the same losses and probes (they must: only page faults may change).

Usage: python3 bench/allocation.py CLI DATA_DIR [--rounds 3] [--train-size 4096]
  CLI       the built whichfeatures program (e.g. out/WhichFeatures.Cli from `dotnet build -c Release -o out`)
  DATA_DIR  a folder with mnist/ and cifar-10-batches-bin/
Measure only while nothing else runs on the machine.
"""
import argparse, json, os, resource, statistics, subprocess, sys, tempfile

PRESETS = {  # close to the real suite's presets (src/WhichFeatures/Experiments/Real/RealSchedule.cs), one epoch
    "mnist-randbit b512": ["--dataset", "mnist", "--randbits", "5", "--model", "convn", "--head", "mlp", "--projection-dim", "4",
                           "--batch-size", "512", "--optimizer", "adam", "--lr", "1e-3", "--warmup-epochs", "0", "--augment", "crop",
                           "--temperature", "0.1"],
    "cifar10-randbit b128": ["--dataset", "cifar10", "--randbits", "5", "--model", "convn", "--head", "mlp", "--projection-dim", "4",
                             "--batch-size", "128", "--optimizer", "adam", "--lr", "1e-3", "--warmup-epochs", "0", "--augment", "simclr",
                             "--temperature", "0.1"],
    "digits b128": ["--dataset", "digits-on-backgrounds", "--model", "convnet", "--batch-size", "128", "--optimizer", "sgd",
                    "--lr", "0.15", "--temperature", "0.5", "--augment", "simclr"],
}
DEFAULTS = {"WHICHFEATURES_MALLOC_DEFAULTS": "1", "THP_MEM_ALLOC_ENABLE": "0"}


def run(cli, data, preset, train_size, defaults, out):
    env = dict(os.environ, CI="1")
    for k in DEFAULTS:
        env.pop(k, None)
    if defaults:
        env.update(DEFAULTS)
    args = [cli, "train", "--data-dir", data, "--loss", "ucl", "--epochs", "1", "--train-size", str(train_size),
            "--test-size", "500", "--threads", "1", "--seed", "0", "--out", out, "--force"] + PRESETS[preset]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    p = subprocess.run(args, env=env, capture_output=True, text=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if p.returncode != 0:
        sys.exit(f"{preset}: whichfeatures exited {p.returncode}:\n{p.stderr[-2000:]}")
    r = json.load(open(os.path.join(out, "results.json")))
    same = (r["history"][-1]["loss"], [(q["label"], q["testAccuracy"]) for q in r["probes"]])
    return {"img_s": r["meanImagesPerSecond"], "wall": r["wallSeconds"], "faults": after.ru_minflt - before.ru_minflt,
            "rss_mb": r["peakRssMegabytes"], "numbers": same}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("cli"); ap.add_argument("data")
    ap.add_argument("--rounds", type=int, default=3); ap.add_argument("--train-size", type=int, default=4096)
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for preset in PRESETS:
            rows = {True: [], False: []}
            for i in range(a.rounds):
                for defaults in ((True, False) if i % 2 == 0 else (False, True)):
                    m = run(a.cli, a.data, preset, a.train_size, defaults, os.path.join(tmp, "run"))
                    rows[defaults].append(m)
                    print(f"{preset:22s} {'glibc defaults' if defaults else 'kept + huge   '}  {m['img_s']:7.0f} img/s  "
                          f"wall {m['wall']:6.1f} s  minor faults {m['faults']:9d}  peak RSS {m['rss_mb']:6.0f} MB", flush=True)
            ratio = statistics.median(k["img_s"] for k in rows[False]) / statistics.median(d["img_s"] for d in rows[True])
            rss = statistics.median(k["rss_mb"] for k in rows[False]) / statistics.median(d["rss_mb"] for d in rows[True])
            same = all(m["numbers"] == rows[True][0]["numbers"] for m in rows[True] + rows[False])
            print(f"{preset:22s} training speed x{ratio:.2f}, peak RSS x{rss:.2f}, same losses and probes: {'yes' if same else 'NO'}\n", flush=True)


if __name__ == "__main__":
    main()
