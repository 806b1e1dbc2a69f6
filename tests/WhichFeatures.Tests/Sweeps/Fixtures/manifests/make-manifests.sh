#!/bin/sh
# Writes the manifest.jsonl fixtures of tests/WhichFeatures.Tests/Sweeps/ManifestCompatibilityTests.cs with the
# whichfeatures given as $1 (a build from before SweepUnit's payload became UnitWork), one file per case:
# the name, then the reproduce options. The real suite's data folder is /tmp, which every Linux machine has.
set -eu
wf=$1
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
while read -r name options; do
  # shellcheck disable=SC2086 # options are words on purpose
  $wf reproduce --plan "$work/$name" $options >/dev/null
  cp "$work/$name/manifest.jsonl" "$here/$name.jsonl"
done <<CASES
theory-quick --quick --seeds 2
theory-base5 --seeds 3 --base-seed 5 --only toy,joint
real-quick --suite real --data-dir /tmp --quick
real-cpu --suite real --data-dir /tmp --device cpu --seeds 1 --only cc-over-training,fs-embedding-mnist-randbit
CASES
