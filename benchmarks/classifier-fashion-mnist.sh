#!/usr/bin/env bash
# The `classifier` feature network of `dcgan evaluate` with its default training budget on Fashion-MNIST
# (Debian's dataset-fashion-mnist), then the numbers a reader needs to calibrate FID/KID/IS with it:
# real-vs-real (test split against train split), noise, and a tutorial-style DCGAN run (32x32, ngf = ndf = 32,
# batch 64, 1,500 iterations). Build first: scripts/mvn -B -q package -DskipTests
# Usage: benchmarks/classifier-fashion-mnist.sh [OUT_DIR] [--skip-gan]   (OUT_DIR default: /tmp/dcgan-classifier-bench)
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
out="${1:-/tmp/dcgan-classifier-bench}"
data=/usr/share/datasets/fashion-mnist
dcgan() { "$root/scripts/dcgan" "$@" 2>&1 | grep --line-buffered -v '^WARNING: Using incubator modules'; }
[ -f "$data/train-images-idx3-ubyte.gz" ] || { echo "no Fashion-MNIST in $data: apt-get install dataset-fashion-mnist" >&2; exit 1; }
echo "# $(date -u +%Y-%m-%dT%H:%MZ) $(uname -m), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "## evaluate --train-classifier, default budget"
start=$(date +%s)
dcgan evaluate --train-classifier --dataset mnist --dataroot "$data" --out "$out" --no-progress
echo "(wall clock $(( $(date +%s) - start )) s)"
clf="$out/classifier.safetensors"
echo "## real vs real: the test split (10,000) against 10,000 training images"
dcgan evaluate --classifier "$clf" --baseline real --out "$out/real" --no-progress
echo "## noise: 10,000 images of uniform noise against 10,000 training images"
dcgan evaluate --classifier "$clf" --baseline noise --out "$out/noise" --no-progress
[ "${2:-}" = "--skip-gan" ] && exit 0
echo "## a tutorial-style DCGAN on Fashion-MNIST: 32x32, ngf = ndf = 32, batch 64, 1,500 iterations"
start=$(date +%s)
dcgan train --dataset mnist --dataroot "$data" --image-size 32 --ngf 32 --ndf 32 --batch-size 64 --max-iters 1500 \
    --sample-every 500 --log-every 500 --out "$out/gan" --no-progress
echo "(wall clock $(( $(date +%s) - start )) s)"
for mode in eval batch; do
  echo "## its 10,000 samples (G in ${mode} mode) against 10,000 training images"
  extra=(); [ "$mode" = batch ] && extra=(--batch-stats)
  dcgan evaluate --classifier "$clf" --checkpoint "$out/gan/checkpoint.ckpt" "${extra[@]}" --out "$out/gan-$mode" --no-progress
done
