#!/usr/bin/env bash
# The fixed part of the mutation scope that CI runs on every change (docs/testing.md, "In CI"): the rule of evidence
# and the learning bars (Experiments/Real/SeedGap, LearningBar) and the claim criteria (Experiments/Criterion,
# Threshold), the code that turns every measured number into "holds" or "not shown". About 70 mutants, a few minutes.
# Runs Stryker.NET on a copy of the committed tree (Stryker replaces the test project's build output), fails below
# the break score, and prints one line: "mutation score S % (N mutants, break at B %)".
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
break_at="${STRYKER_BREAK_AT:-80}"
work="$(mktemp -d /tmp/wf-stryker-ci.XXXXXX)"
trap 'rm -rf "$work"' EXIT
git -C "$root" archive HEAD | tar -x -C "$work"
cd "$work"
dotnet tool restore >/dev/null
set +e
dotnet stryker --concurrency 2 --reporter Json --reporter ClearText --threshold-high 100 --threshold-low "$break_at" --break-at "$break_at" --output "$work/out" \
  --mutate "**/Experiments/Real/SeedGap.cs" --mutate "**/Experiments/Real/LearningBar.cs" \
  --mutate "**/Experiments/Criterion.cs" --mutate "**/Experiments/Threshold.cs" \
  --test-case-filter "FullyQualifiedName~ClaimCriteriaTests|FullyQualifiedName~EvidenceRuleTests|FullyQualifiedName~RealSuiteOptionsTests" \
  > "$work/stryker.log" 2>&1
status=$?
set -e
report="$work/out/reports/mutation-report.json"
if [ ! -f "$report" ]; then
  tail -n 20 "$work/stryker.log" >&2
  echo "mutation testing did not finish (exit $status); see the lines above"
  exit 1
fi
/usr/bin/python3 - "$report" "$break_at" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
status = [m["status"] for f in r["files"].values() for m in f["mutants"]]
detected = sum(s in ("Killed", "Timeout") for s in status)
scored = detected + sum(s in ("Survived", "NoCoverage") for s in status)
for f, d in sorted(r["files"].items()):
    for m in d["mutants"]:
        if m["status"] in ("Survived", "NoCoverage"):
            print(f"  {m['status'].lower()}: {f.split('src/')[-1]}:{m['location']['start']['line']} {m['mutatorName']}")
print(f"mutation score {100 * detected / max(scored, 1):.1f} % ({scored} mutants, break at {sys.argv[2]} %)")
PY
exit $status
