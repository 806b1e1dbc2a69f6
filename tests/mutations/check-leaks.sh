#!/usr/bin/env bash
# Mutation check for the properties every reported number rests on (docs/testing.md).
# Applies each one-line change below to src/, runs the tests that should catch it, checks that at least one
# test FAILS (the mutant is killed), and restores the file. The tree is restored on any exit (trap), so an
# interrupted run never leaves a mutated file behind.
#
# Lines are found by their content, not by file or line number, so renames do not break the script; a line that
# is not found exactly once is an error (the script must be updated, not silently skipped).
#
# Usage: tests/mutations/check-leaks.sh [--full] [name...]
#   --full   run the whole test suite for each mutant instead of the tests named for it
#   name     run only these mutants (self-mask, resume-augment, probe-test-mean, probe-detach, sweep-collect-listing)
# Exit code 0 when every mutant was killed, 1 when one survived, 2 on a setup error.
set -uo pipefail
cd "$(dirname "$0")/../.."
repo=$(pwd)
py=/usr/bin/python3; [ -x "$py" ] || py=python3

full=0
only=()
for a in "$@"; do
  case "$a" in
    --full) full=1 ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) only+=("$a") ;;
  esac
done

# name | fixed text of the original line (a substring, must occur exactly once in src/) | replacement of that substring | test filter
mutants=(
  "self-mask|var logits = sim.masked_fill(self, -1e9);|var logits = sim;|FullyQualifiedName~InfoNceLoss"
  "resume-augment|.set_state(augmentState);|.GetHashCode(); /* mutant: augmentation generator state not restored */|FullyQualifiedName~InterruptionTests.SigkillMidEpoch|FullyQualifiedName~InterruptionTests.CtrlCMidEpoch"
  "probe-test-mean|var z = (x - Mean) / Std;|var z = (x - x.mean([0], keepdim: true)) / Std;|FullyQualifiedName~OfflineProbeFlowTests"
  "probe-detach|var f = features.detach();|var f = features;|FullyQualifiedName~LabelFlowTests"
  "sweep-collect-listing|units.Where(u => u.Experiment == e.Name).Select(u => SweepRunner.ReadResult(sweepDir, u, e.UnitResultType))|Directory.GetDirectories(Path.Combine(sweepDir, \"units\"), \"*-\" + e.Name + \"-seed*\").Order().Select(d => SweepRunner.ReadResult(sweepDir, units[0] with { Dir = Path.GetRelativePath(sweepDir, d) }, e.UnitResultType))|FullyQualifiedName~SweepFlowTests"
)

work=$(mktemp -d)
mutated=""
restore() {
  if [ -n "$mutated" ] && [ -f "$work/original" ]; then
    cp "$work/original" "$mutated" && echo "restored $mutated"
    mutated=""
  fi
}
trap 'restore; rm -rf "$work"' EXIT
trap 'exit 130' INT TERM

# Prints the one file under src/ that contains $1 exactly once; errors otherwise.
locate() {
  local text=$1 files count
  files=$(grep -rlF --include='*.cs' -- "$text" src || true)
  count=$(printf '%s' "$files" | grep -c . || true)
  if [ "$count" -ne 1 ]; then
    echo "error: the line '$text' was found in $count files under src/ (expected exactly 1): ${files//$'\n'/, }" >&2
    return 1
  fi
  if [ "$(grep -cF -- "$text" "$files")" -ne 1 ]; then
    echo "error: the line '$text' occurs more than once in $files (expected exactly 1)" >&2
    return 1
  fi
  printf '%s' "$files"
}

killed=0 survived=0 results=()
for m in "${mutants[@]}"; do
  IFS='|' read -r name original replacement filter1 filter2 <<<"$m"
  filter=$filter1${filter2:+|$filter2}
  if [ ${#only[@]} -gt 0 ] && [[ ! " ${only[*]} " =~ " $name " ]]; then continue; fi
  file=$(locate "$original") || exit 2
  cp "$file" "$work/original"
  mutated=$file
  "$py" - "$file" "$original" "$replacement" <<'PY' || exit 2
import sys
path, old, new = sys.argv[1:4]
text = open(path, encoding="utf-8").read()
assert text.count(old) == 1, f"{path}: expected the line once"
open(path, "w", encoding="utf-8").write(text.replace(old, new))
PY
  echo "== $name: $file"
  echo "   - $original"
  echo "   + $replacement"
  if [ "$full" -eq 1 ]; then args=(WhichFeatures.slnx); else args=(tests/WhichFeatures.Tests --filter "$filter"); fi
  log="$work/$name.log"
  start=$(date +%s)
  dotnet test "${args[@]}" >"$log" 2>&1
  status=$?
  seconds=$(( $(date +%s) - start ))
  restore
  if grep -qE "error CS[0-9]+" "$log"; then
    echo "error: the mutant '$name' does not compile; fix the replacement:" >&2
    grep -E "error CS[0-9]+" "$log" | head -5 >&2
    exit 2
  fi
  summary=$(grep -E "(Passed|Failed)! +- +Failed:" "$log" | tail -1 | sed -E 's/^.*(Failed: +[0-9]+, +Passed: +[0-9]+, +Skipped: +[0-9]+, +Total: +[0-9]+).*$/\1/')
  nfailed=$(printf '%s' "$summary" | sed -nE 's/^Failed: +([0-9]+),.*/\1/p')
  if [ -z "$summary" ]; then
    echo "error: no test result for '$name' (exit code $status); log:" >&2
    tail -20 "$log" >&2
    exit 2
  fi
  if [ "${nfailed:-0}" -gt 0 ]; then
    killed=$((killed + 1)); verdict="killed"
    grep -E "^\s+Failed [A-Za-z]" "$log" | sed -E 's/^\s+Failed /     failing: /; s/ \[.*$//' | sort -u | head -10
  else
    survived=$((survived + 1)); verdict="SURVIVED"
  fi
  results+=("$(printf '%-22s %-8s %s (%ss)' "$name" "$verdict" "$summary" "$seconds")")
  echo "   $verdict: $summary, ${seconds}s"
done

echo
echo "mutant                 result   tests"
printf '%s\n' "${results[@]}"
echo "$killed killed, $survived survived"
[ "$survived" -eq 0 ]
