#!/usr/bin/env bash
# Stryker.NET on the data loaders' label handling: the CIFAR/MNIST loaders and records, superclass maps, RandBit,
# digits on backgrounds, the registry (options, validation carve, subsets) and, of ImageDataset and Seeds, the
# methods that pick rows and labels (data-labels-spans.json). Exception messages are not mutated
# (stryker-data-labels.json: ignore-methods *Exception.ctor): message text changes no result. Run from a copy of the
# tree (Stryker runs the test project's build output): see docs/testing.md. Extra arguments go to dotnet stryker.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
args=()
for f in Cifar10Loader Cifar100Loader MnistLoader CifarRecords SuperclassMap RandBit DigitsOnBackgrounds DatasetRegistry DatasetLoadOptions; do
  args+=(--mutate "**/Data/$f.cs")
done
while read -r p; do args+=(--mutate "$p"); done < <(/usr/bin/python3 tests/mutations/stryker-spans.py tests/mutations/data-labels-spans.json src/WhichFeatures)
dotnet tool restore >/dev/null
exec dotnet stryker --config-file tests/mutations/stryker-data-labels.json --concurrency 1 "${args[@]}" \
  --test-case-filter "FullyQualifiedName~WhichFeatures.Tests.Data&FullyQualifiedName!~DownloaderTests&FullyQualifiedName!~RealDataTests&FullyQualifiedName!~SharedData&FullyQualifiedName!~SharedCifar10" \
  "$@"
