#!/usr/bin/env bash
# Installs the PyTorch side of the benchmark (Debian 12's python3-torch 1.13 + torchvision 0.14) and
# Debian's multithreaded OpenBLAS, then prints the environment the PyTorch side must run with.
#
# Why: as installed, Debian's libtorch links the reference BLAS (~3.7 GFLOP/s sgemm, one thread). Putting
# libopenblas0-pthread first on LD_LIBRARY_PATH makes torch use OpenBLAS; OpenBLAS's CPU auto-detection picks a
# slow kernel on this machine kind, so OPENBLAS_CORETYPE is forced (SkylakeX if the CPU has AVX-512, else Haswell).
#
# Usage: bash bench/reference/setup.sh            # install (root, needs apt) and print the env
#        eval "$(bash bench/reference/setup.sh --env)"   # only print/apply the env (no install)
set -euo pipefail
# Debian's interpreter explicitly: a pyenv/venv python3 earlier on PATH does not see the Debian packages.

if [[ "${1:-}" != "--env" ]]; then
  if ! /usr/bin/python3 -c 'import torch, torchvision' 2>/dev/null || [[ ! -d /usr/lib/x86_64-linux-gnu/openblas-pthread ]]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q >&2
    apt-get install -y -q --no-install-recommends python3-torch python3-torchvision python3-pil python3-numpy \
      libopenblas0-pthread >&2
  fi
fi

blas_dir=/usr/lib/x86_64-linux-gnu/openblas-pthread
if grep -q avx512f /proc/cpuinfo; then coretype=SkylakeX; else coretype=Haswell; fi
echo "export LD_LIBRARY_PATH=${blas_dir}\${LD_LIBRARY_PATH:+:\$LD_LIBRARY_PATH}"
echo "export OPENBLAS_CORETYPE=${coretype}"
echo "export OMP_NUM_THREADS=\${OMP_NUM_THREADS:-2}"
