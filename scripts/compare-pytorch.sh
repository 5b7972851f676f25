#!/usr/bin/env bash
# Times the tutorial's training iteration in PyTorch (Debian's python3-torch) and in dcgan on this machine,
# one after the other with the same sizes and threads, and prints both and their ratio.
# Usage: scripts/compare-pytorch.sh [--batch-size 128] [--image-size 64] [--threads 2] [--iters 3] [--backend jvm]
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
batch=128 size=64 threads=2 iters=3 warmup=1 backend=jvm
while [ $# -gt 0 ]; do
  case "$1" in
    --batch-size) batch=$2; shift 2 ;;
    --image-size) size=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --iters) iters=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --backend) backend=$2; shift 2 ;;
    *) echo "compare-pytorch: unknown option $1" >&2; exit 2 ;;
  esac
done
if ! /usr/bin/python3 -c 'import torch' 2>/dev/null; then
  echo "compare-pytorch: PyTorch is missing for /usr/bin/python3; install it with: apt-get install python3-torch" >&2
  exit 1
fi
echo "== PyTorch $(/usr/bin/python3 -c 'import torch; print(torch.__version__)') (Debian python3-torch)"
py=$(/usr/bin/python3 "$root/scripts/pytorch_iteration.py" --batch-size "$batch" --image-size "$size" \
       --threads "$threads" --iters "$iters" --warmup "$warmup" | tee /dev/stderr | tail -n1)
echo "== dcgan --backend $backend"
jv=$("$root/scripts/dcgan" bench --batch-size "$batch" --image-size "$size" --threads "$threads" \
       --iters "$iters" --warmup "$warmup" --backend "$backend" 2>/dev/null | tee /dev/stderr | tail -n1)
pt=$(sed -n 's/.*median_s_per_iter=\([0-9.]*\).*/\1/p' <<<"$py")
dj=$(sed -n 's/.*median_s_per_iter=\([0-9.]*\).*/\1/p' <<<"$jv")
awk -v p="$pt" -v d="$dj" 'BEGIN { printf "pytorch_s_per_iter=%.3f dcgan_s_per_iter=%.3f speedup=%.2fx\n", p, d, p / d }'
