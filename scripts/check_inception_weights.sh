#!/usr/bin/env bash
# Checks dcgan's Inception against PyTorch with pytorch-fid's real weights, where you have them:
#   scripts/check_inception_weights.sh pt_inception-2015-12-05-6726825d.pth [WORKDIR]
# Converts the .pth (scripts/convert_inception_weights.py), writes a fixture from it with torchvision
# (scripts/make_inception_fixtures.py --weights), then runs InceptionTest.realWeights: every block, pool3
# features and class probabilities within 1e-4 relative. Needs Debian's python3-torchvision; nothing is downloaded.
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
pth="${1:?usage: check_inception_weights.sh pt_inception-2015-12-05-6726825d.pth [WORKDIR]}"
work="${2:-$(mktemp -d)}"
mkdir -p "$work"
/usr/bin/python3 "$root/scripts/convert_inception_weights.py" "$pth" "$work/inception-fid.safetensors"
/usr/bin/python3 "$root/scripts/make_inception_fixtures.py" --weights "$pth" --out "$work/inception-real-fixture.safetensors"
cd "$root"
scripts/mvn -B test -Ddcgan.skipSpecies=true -Dtest='InceptionTest#realWeights' -Dsurefire.failIfNoSpecifiedTests=false \
  -Ddcgan.inceptionWeights="$work/inception-fid.safetensors" -Ddcgan.inceptionFixture="$work/inception-real-fixture.safetensors" \
  | grep -E 'real-weights|Tests run:|FAIL|ERROR'
echo "converted weights: $work/inception-fid.safetensors (for dcgan evaluate --features inception --inception-weights)"
