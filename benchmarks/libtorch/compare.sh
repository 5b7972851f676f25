#!/usr/bin/env bash
# The anchor, side by side: times the PyTorch DCGAN tutorial's training iteration in dcgan (`dcgan bench`) and
# in official libtorch 2.7.1 (this folder's LibtorchBench, through DJL), ALTERNATING, for ROUNDS rounds, at the
# tutorial's size and at the small one, and prints per size the median of the per-run medians of both and the
# ratio dcgan/libtorch (> 1: dcgan is slower). libtorch runs twice per round: as the tutorial is written
# ("libtorch": G's step also computes D's weight gradients, which netD.zero_grad() then discards) and with D's
# parameters frozen in G's step ("libtorch-frozen-d": requires_grad_(False), the same work dcgan does); the
# ratio is given against both.
#
# Environment (all optional):
#   ROUNDS=3 ITERS=5 WARMUP=3 THREADS=2   rounds; timed and warm-up iterations per run; compute threads
#   SIZES="64 32"     64: batch 128, 64x64, nz 100, ngf=ndf=64, nc 3 (the tutorial); 32: batch 64, 32x32,
#                     nz 100, ngf=ndf=32, nc 1
#   BACKEND=jvm       dcgan's --backend
#   CONVT=native      libtorch's ConvTranspose2d: native (its conv_transpose2d, via an in-memory TorchScript
#                     module) or phase (four stride-1 convolutions); see README.md
#   DCGAN_JVM_FLAGS   extra JVM flags for dcgan (scripts/dcgan reads it), e.g. -XX:UseAVX=2
#   ISA=avx2          run both sides on AVX2: adds -XX:UseAVX=2 to DCGAN_JVM_FLAGS and sets, for libtorch,
#                     ATEN_CPU_CAPABILITY=avx2 (ATen's own kernels), DNNL_MAX_CPU_ISA=AVX2 (oneDNN: the
#                     convolutions) and MKL_ENABLE_INSTRUCTIONS=AVX2 (MKL: the matrix products). Set on its own
#                     when DCGAN_JVM_FLAGS has -XX:UseAVX=2 and ISA is unset.
#   OMP_WAIT_POLICY   libtorch's OpenMP threads; unset here means PASSIVE (see README.md: on a loaded machine
#                     libgomp's default spinning makes libtorch 10-20x slower); OMP_WAIT_POLICY=default leaves
#                     libgomp's own default (best on an idle machine)
#   SKIP_BUILD=1      do not rebuild target/dcgan.jar and benchmarks/libtorch/target/
#   LOG_DIR           where every run's full output goes (default: a new folder under /tmp)
# Example, a quick smoke run: ROUNDS=1 ITERS=2 WARMUP=1 SIZES=32 benchmarks/libtorch/compare.sh
set -euo pipefail
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
root="$(cd "$here/../.." && pwd)"
ROUNDS=${ROUNDS:-3} ITERS=${ITERS:-5} WARMUP=${WARMUP:-3} THREADS=${THREADS:-2} SIZES=${SIZES:-64 32}
BACKEND=${BACKEND:-jvm} CONVT=${CONVT:-native}
LOG_DIR=${LOG_DIR:-$(mktemp -d /tmp/dcgan-vs-libtorch.XXXXXX)}
mkdir -p "$LOG_DIR"
: >"$LOG_DIR/medians.txt"

. "$root/scripts/find-jdk.sh"   # JAVA_HOME: a JDK >= 25 (LibtorchBench itself needs >= 17)

DCGAN_JVM_FLAGS=${DCGAN_JVM_FLAGS:-}
ISA=${ISA:-}
if [ -z "$ISA" ] && [[ "$DCGAN_JVM_FLAGS" == *-XX:UseAVX=2* ]]; then
  ISA=avx2
  echo "compare: DCGAN_JVM_FLAGS has -XX:UseAVX=2, so libtorch is limited to AVX2 as well (ISA=avx2)"
fi
lt_env=()
case "${ISA,,}" in
  "") ;;
  avx2)
    [[ "$DCGAN_JVM_FLAGS" == *UseAVX* ]] || DCGAN_JVM_FLAGS="$DCGAN_JVM_FLAGS -XX:UseAVX=2"
    lt_env=(ATEN_CPU_CAPABILITY=avx2 DNNL_MAX_CPU_ISA=AVX2 MKL_ENABLE_INSTRUCTIONS=AVX2) ;;
  *) echo "compare: ISA=$ISA: only avx2 is supported" >&2; exit 2 ;;
esac
export DCGAN_JVM_FLAGS
case "${OMP_WAIT_POLICY:-}" in
  "") lt_env+=(OMP_WAIT_POLICY=PASSIVE) ;;
  default) lt_env=(-u OMP_WAIT_POLICY "${lt_env[@]}") ;;   # env wants its -u options first
  *) lt_env+=(OMP_WAIT_POLICY="$OMP_WAIT_POLICY") ;;
esac
lt_env+=(OMP_NUM_THREADS="$THREADS")

if [ "${SKIP_BUILD:-0}" != 1 ]; then
  echo "== building target/dcgan.jar and benchmarks/libtorch/target/libtorch-bench.jar"
  "$root/scripts/mvn" -B -q package -DskipTests
  "$root/scripts/mvn" -B -q -f benchmarks/libtorch/pom.xml package
fi
lt_jar="$here/target/libtorch-bench.jar"
[ -f "$lt_jar" ] || { echo "compare: $lt_jar missing; run without SKIP_BUILD=1" >&2; exit 1; }

size_args() {  # the bench options shared by both sides for one size
  case "$1" in
    64) echo "--batch-size 128 --image-size 64 --nz 100 --ngf 64 --ndf 64 --nc 3" ;;
    32) echo "--batch-size 64 --image-size 32 --nz 100 --ngf 32 --ndf 32 --nc 1" ;;
    *) echo "compare: size $1: only 64 and 32 are defined" >&2; return 1 ;;
  esac
}

libtorch() {  # libtorch ARGS...
  env "${lt_env[@]}" "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Dai.djl.offline=true \
      -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -jar "$lt_jar" "$@"
}

echo "== $(date -u +%FT%TZ) $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
echo "   ROUNDS=$ROUNDS ITERS=$ITERS WARMUP=$WARMUP THREADS=$THREADS SIZES='$SIZES' BACKEND=$BACKEND CONVT=$CONVT ISA=${ISA:-native}"
echo "   DCGAN_JVM_FLAGS='$DCGAN_JVM_FLAGS'  libtorch env: ${lt_env[*]}  logs: $LOG_DIR"
echo "== libtorch self-check (both ConvTranspose2d ways and BatchNorm against plain-Java loops)"
libtorch --threads "$THREADS" --convt "$CONVT" --check-only 2>&1 | tee "$LOG_DIR/libtorch-check.txt" | grep -E '^(libtorch |self-check)'

for r in $(seq 1 "$ROUNDS"); do
  for s in $SIZES; do
    args=$(size_args "$s")
    # Alternate who goes first, so that a slow drift of the machine's load favours neither side.
    if [ $((r % 2)) -eq 1 ]; then order="dcgan libtorch libtorch-frozen-d"; else order="libtorch-frozen-d libtorch dcgan"; fi
    for who in $order; do
      log="$LOG_DIR/$who-size$s-round$r.txt"
      load=$(cut -d' ' -f1-3 /proc/loadavg)
      # shellcheck disable=SC2086
      if [ "$who" = dcgan ]; then
        "$root/scripts/dcgan" bench $args --threads "$THREADS" --iters "$ITERS" --warmup "$WARMUP" \
            --backend "$BACKEND" >"$log" 2>&1 || { echo "dcgan failed, see $log" >&2; tail -n 20 "$log" >&2; exit 1; }
        med=$(sed -n 's/.*median_s_per_iter=\([0-9.]*\).*/\1/p' "$log" | tail -n1)
        cpu=$(sed -n 's/.*cpu_per_thread_median_s=\([0-9.]*\).*/\1/p' "$log" | tail -n1)
      else
        extra=""; [ "$who" = libtorch-frozen-d ] && extra="--no-d-grads-in-g"
        # shellcheck disable=SC2086
        libtorch $args --threads "$THREADS" --iters "$ITERS" --warmup "$WARMUP" --convt "$CONVT" --no-check $extra >"$log" 2>&1 \
            || { echo "libtorch failed, see $log" >&2; tail -n 20 "$log" >&2; exit 1; }
        med=$(sed -n 's/^libtorch size=.* median_s=\([0-9.]*\).*/\1/p' "$log" | tail -n1)
        cpu=$(sed -n 's/^libtorch size=.* cpu_per_thread_median_s=\([0-9.]*\).*/\1/p' "$log" | tail -n1)
      fi
      [ -n "$med" ] || { echo "compare: no median in $log" >&2; tail -n 20 "$log" >&2; exit 1; }
      printf 'round %d size %-2s %-17s median_s=%s  (load before: %s)  %s\n' "$r" "$s" "$who" "$med" "$load" "$(tail -n1 "$log")"
      echo "$s $who $med ${cpu:-nan}" >>"$LOG_DIR/medians.txt"
    done
  done
done

median() { sort -g | awk '{ a[NR] = $1 } END { if (NR == 0) print "nan"; else if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
echo "== median of the $ROUNDS per-run medians (s per iteration; ratio > 1: dcgan slower)"
for s in $SIZES; do
  d=$(awk -v s="$s" '$1 == s && $2 == "dcgan" { print $3 }' "$LOG_DIR/medians.txt" | median)
  l=$(awk -v s="$s" '$1 == s && $2 == "libtorch" { print $3 }' "$LOG_DIR/medians.txt" | median)
  f=$(awk -v s="$s" '$1 == s && $2 == "libtorch-frozen-d" { print $3 }' "$LOG_DIR/medians.txt" | median)
  # CPU time per thread (process CPU / threads): what other jobs' load does not inflate
  dc=$(awk -v s="$s" '$1 == s && $2 == "dcgan" { print $4 }' "$LOG_DIR/medians.txt" | median)
  lc=$(awk -v s="$s" '$1 == s && $2 == "libtorch" { print $4 }' "$LOG_DIR/medians.txt" | median)
  awk -v s="$s" -v d="$d" -v l="$l" -v f="$f" -v dc="$dc" -v lc="$lc" -v t="$THREADS" -v r="$ROUNDS" -v isa="${ISA:-native}" -v c="$CONVT" \
      'BEGIN { printf "compare size=%s threads=%s rounds=%s isa=%s convt=%s dcgan_median_s=%.4f libtorch_median_s=%.4f ratio_dcgan_over_libtorch=%.2f libtorch_frozen_d_median_s=%.4f ratio_dcgan_over_libtorch_frozen_d=%.2f dcgan_cpu_per_thread_s=%.4f libtorch_cpu_per_thread_s=%.4f cpu_ratio=%.2f\n", s, t, r, isa, c, d, l, d / l, f, d / f, dc, lc, (lc > 0 ? dc / lc : 0) }'
done
