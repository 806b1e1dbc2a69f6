#!/usr/bin/env bash
# Builds deploy/Dockerfile with podman and runs `whichfeatures reproduce --quick` in the image; .ci/run calls it
# after the tests (docs/cluster.md, "The container image").
#
#   deploy/container/check.sh      # exit 0: built, ran, checked; 1: the build, the run or a check failed;
#                                  # 77: no container can run on this machine (the reason is printed) -> skipped
#
# Base images: the Dockerfile's own (mcr.microsoft.com/dotnet/sdk and runtime, 10.0-noble) when this machine can
# pull them; otherwise stand-ins made here from Debian's packages (debootstrap) plus this machine's .NET SDK and
# runtime, passed as --build-arg SDK_IMAGE / RUNTIME_IMAGE. Everything podman stores lives under a temporary
# folder (--root) that is deleted at the end, so no other image on the machine is touched.
# Needs root (debootstrap, podman's overlay storage).
set -uo pipefail
cd "$(dirname "$0")/../.."

WORK=$(mktemp -d /tmp/wf-container.XXXXXX)
TAG=whichfeatures:latest
SDK_IMAGE=mcr.microsoft.com/dotnet/sdk:10.0-noble
RUNTIME_IMAGE=mcr.microsoft.com/dotnet/runtime:10.0-noble
# debootstrap's mirror: the Debian archive this machine's apt already uses (deb822 "URIs:" or one-line "deb" sources).
MIRROR=${WF_DEBIAN_MIRROR:-$(cat /etc/apt/sources.list /etc/apt/sources.list.d/* 2>/dev/null \
  | grep -oE '^(URIs:|deb) +https?://[^ ]+/debian/?( |$)' | grep -oE 'https?://[^ ]+' | head -1)}

log() { echo "container-check: $*"; }
skip() { log "SKIP: $*"; exit 77; }
fail() { log "FAIL: $*"; exit 1; }
pm() { podman --root "$WORK/storage" --runroot "$WORK/run" "$@"; }
cleanup() {
  pm rm -a -f >/dev/null 2>&1
  pm rmi -a -f >/dev/null 2>&1
  rm -rf "$WORK" 2>/dev/null || { umount -R "$WORK/storage" 2>/dev/null; rm -rf "$WORK"; }
}
trap cleanup EXIT
trap 'exit 143' TERM INT   # a timeout or Ctrl-C still cleans up

if ! command -v podman >/dev/null || ! command -v runc >/dev/null; then
  log "installing podman and runc (apt-get)..."
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq podman runc) >/dev/null 2>&1 \
    || skip "podman could not be installed from Debian's packages"
fi

# The Dockerfile's base images, or local stand-ins.
if timeout 120 podman --root "$WORK/storage" --runroot "$WORK/run" pull -q "$SDK_IMAGE" >"$WORK/pull.log" 2>&1 \
   && timeout 120 podman --root "$WORK/storage" --runroot "$WORK/run" pull -q "$RUNTIME_IMAGE" >>"$WORK/pull.log" 2>&1; then
  log "base images pulled: $SDK_IMAGE, $RUNTIME_IMAGE"
else
  log "cannot pull the base images ($(grep -m1 -i error "$WORK/pull.log" || tail -1 "$WORK/pull.log")); making stand-ins from Debian 12 and this machine's .NET"
  command -v dotnet >/dev/null || skip "no base images and no .NET SDK here to make stand-ins from"
  DOTNET_DIR=$(dirname "$(readlink -f "$(command -v dotnet)")")
  [ -n "$MIRROR" ] || skip "no base images, and no Debian archive in this machine's apt sources to make stand-ins from (set WF_DEBIAN_MIRROR)"
  command -v debootstrap >/dev/null || (DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap) >/dev/null 2>&1 \
    || skip "no base images, and debootstrap could not be installed"
  # The runtime packages the .NET images carry (ca-certificates, libssl3, libstdc++6, zlib1g, tzdata).
  debootstrap --variant=minbase --include=ca-certificates,libssl3 bookworm "$WORK/rootfs" "$MIRROR" >"$WORK/debootstrap.log" 2>&1 \
    || skip "no base images, and debootstrap of Debian 12 failed: $(tail -1 "$WORK/debootstrap.log")"
  base() {   # base NAME DOTNET_PARTS...: the Debian root plus the named parts of this machine's .NET, imported as an image
    local name=$1; shift
    local root="$WORK/$name"
    cp -a "$WORK/rootfs" "$root" && mkdir -p "$root/usr/share/dotnet/shared" || return 1
    for part in "$@"; do cp -a "$DOTNET_DIR/$part" "$root/usr/share/dotnet/$(dirname "$part")/" || return 1; done
    ln -s /usr/share/dotnet/dotnet "$root/usr/bin/dotnet"
    tar -C "$root" -c . | pm import -q \
      --change 'ENV DOTNET_ROOT=/usr/share/dotnet' --change 'ENV DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1' \
      --change 'ENV DOTNET_CLI_TELEMETRY_OPTOUT=1' --change 'ENV DOTNET_NOLOGO=1' - "localhost/wf-base-$name:10.0" >/dev/null
    rm -rf "$root"
  }
  base runtime dotnet host shared/Microsoft.NETCore.App || fail "could not make the runtime stand-in image"
  base sdk dotnet host shared sdk sdk-manifests packs templates || fail "could not make the SDK stand-in image"
  SDK_IMAGE=localhost/wf-base-sdk:10.0
  RUNTIME_IMAGE=localhost/wf-base-runtime:10.0
fi

# Can a container run at all? Some sandboxes refuse crun's cgroup set-up or the raised file and process limits
# podman asks for as root: then runc with the limits this shell already has.
if ! pm run --rm "$RUNTIME_IMAGE" true >"$WORK/probe.log" 2>&1; then
  first=$(tail -1 "$WORK/probe.log")
  nofile=$(ulimit -Hn); [ "$nofile" = unlimited ] && nofile=1048576
  cat >"$WORK/containers.conf" <<CONF
[containers]
default_ulimits = ["nofile=$nofile:$nofile", "nproc=32768:32768"]
[engine]
runtime = "runc"
CONF
  export CONTAINERS_CONF="$WORK/containers.conf"
  pm run --rm "$RUNTIME_IMAGE" true >"$WORK/probe.log" 2>&1 \
    || skip "podman cannot run a container here: \"$first\"; with runc and this shell's limits: \"$(tail -1 "$WORK/probe.log")\""
  log "containers run with runc and this shell's file and process limits (default: \"$first\")"
fi

# The build's RUN steps trust this machine's certificate authorities (its network may re-sign TLS) and reuse its
# NuGet package cache (a restore needs no second download of libtorch).
nuget=${NUGET_PACKAGES:-$HOME/.nuget/packages}
mkdir -p "$nuget"
log "building $TAG from deploy/Dockerfile..."
start=$(date +%s)
pm build -f deploy/Dockerfile --build-arg SDK_IMAGE="$SDK_IMAGE" --build-arg RUNTIME_IMAGE="$RUNTIME_IMAGE" \
  -v /etc/ssl/certs:/etc/ssl/certs:ro -v "$nuget":/root/.nuget/packages -t "$TAG" . >"$WORK/build.log" 2>&1 \
  || { tail -30 "$WORK/build.log"; fail "podman build -f deploy/Dockerfile failed"; }
log "built in $(( $(date +%s) - start )) s"

mkdir -p "$WORK/out"
run() { pm run --rm --network none -v "$WORK/out":/out "$@"; }
log "running whichfeatures reproduce --quick in the image..."
start=$(date +%s)
run "$TAG" reproduce --quick --out /out/quick >"$WORK/reproduce.log" 2>&1 \
  || { tail -30 "$WORK/reproduce.log"; fail "whichfeatures reproduce --quick failed in the image"; }
grep -E "claims hold in this smoke run" "$WORK/reproduce.log" || fail "reproduce --quick printed no claim summary"
[ -s "$WORK/out/quick/report.html" ] && [ -s "$WORK/out/quick/results.json" ] || fail "reproduce --quick wrote no report.html / results.json"
log "reproduce --quick ran in $(( $(date +%s) - start )) s"

# Plot text needs a font (the runtime stage installs DejaVu).
run --entrypoint fc-list "$TAG" 2>&1 | grep -qi dejavu || fail "no DejaVu font in the image (plots would have no text)"
# A plan made in the image starts units with the command on PATH, as k8s-job.yaml does.
run "$TAG" reproduce --quick --plan /out/plan >"$WORK/plan.log" 2>&1 || { cat "$WORK/plan.log"; fail "reproduce --plan failed in the image"; }
grep -q '^whichfeatures sweep run ' "$WORK/out/plan/slurm.sbatch" || fail "the plan made in the image does not launch units with \`whichfeatures\`: $(grep -m1 'sweep run' "$WORK/out/plan/slurm.sbatch")"
grep -q "image: \"$TAG\"" "$WORK/out/plan/k8s-job.yaml" || fail "k8s-job.yaml does not name the image $TAG"
log "OK: the image builds, reproduces the quick theory suite, has its fonts, and plans with launcher \`whichfeatures\`"
