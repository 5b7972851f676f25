#!/usr/bin/env bash
# Per-iteration and per-kernel times of the backends on the same model, one after the other:
# jvm-plain (the @Parallel kernels on JVM threads), jvm (the GEMM path) and, when TORNADOVM_HOME is set
# and dcgan.jar was built against it, tornado (the same kernels JIT-compiled by TornadoVM).
# Usage: benchmarks/backends.sh [bench options, e.g. --batch-size 8 --image-size 32 --ngf 16 --ndf 16]
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
args=("$@")
[ ${#args[@]} -gt 0 ] || args=(--batch-size 8 --image-size 32 --ngf 16 --ndf 16)
backends=(jvm-plain jvm)
[ -n "${TORNADOVM_HOME:-}" ] && backends+=(tornado)
echo "# $(date -u +%Y-%m-%dT%H:%MZ) $(uname -m), $(nproc) cores; bench ${args[*]}"
for b in "${backends[@]}"; do
  echo "## --backend $b"
  "$root/scripts/dcgan" bench --backend "$b" --iters 5 --warmup 1 --per-kernel "${args[@]}" 2>/dev/null | grep -v '^warmup\|^iter '
done
