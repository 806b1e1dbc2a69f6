#!/usr/bin/env bash
# Stryker.NET on the experiments' claim logic: each criterion, the records' derived numbers it reads, and the lines
# of each Summarise that pick the runs / seeds / sizes / betas the criterion is decided on (claim-logic-spans.json).
# Tables, plots, notes and the run orchestration are outside this scope. Run from a copy of the tree (Stryker runs
# the test project's build output): see docs/testing.md. Extra arguments go to dotnet stryker (e.g. --output DIR).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
args=()
while read -r p; do args+=(--mutate "$p"); done < <(/usr/bin/python3 tests/mutations/stryker-spans.py tests/mutations/claim-logic-spans.json src/WhichFeatures)
dotnet tool restore >/dev/null
exec dotnet stryker --concurrency 1 "${args[@]}" \
  --test-case-filter "FullyQualifiedName~ClaimCriteriaTests|FullyQualifiedName~EvidenceRuleTests|FullyQualifiedName~ClaimLogicTests|FullyQualifiedName~TheoryExperimentTests.JointAvoidsBoth|FullyQualifiedName~TheoryExperimentTests.CcMinimizersHold" \
  "$@"
