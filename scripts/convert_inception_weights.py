#!/usr/bin/python3
"""Converts pytorch-fid's Inception-v3 weights to the safetensors file `dcgan evaluate --features inception` reads.

Get the weights file once (nothing is downloaded at run time by dcgan), e.g.

    curl -LO https://github.com/mseitzer/pytorch-fid/releases/download/fid_weights/pt_inception-2015-12-05-6726825d.pth

then convert it (Debian's python3 with torch: `apt-get install -y python3-torch`):

    /usr/bin/python3 scripts/convert_inception_weights.py pt_inception-2015-12-05-6726825d.pth inception-fid.safetensors

The input is the state_dict of torchvision's Inception3 as patched by pytorch-fid's fid_inception_v3()
(1008 classes, no aux classifier): Conv2d_1a_3x3.conv.weight, Conv2d_1a_3x3.bn.{weight,bias,running_mean,
running_var}, ..., Mixed_7c.branch_pool.bn.running_var, fc.weight, fc.bias. Every floating-point tensor is
written as little-endian float32 under its own name; BatchNorm's num_batches_tracked counters (if any) are
dropped. Metadata: format = "pytorch-fid inception", source = the input's file name, sha256 = its SHA-256.
The safetensors file is written by scripts/safetensors_out.py (JSON header + bytes, header padded to 8
bytes); no safetensors package is needed.
"""

import hashlib
import os
import sys


import safetensors_out

FORMAT = "pytorch-fid inception"


def main(argv):
    if len(argv) != 3:
        print("usage: convert_inception_weights.py pt_inception-2015-12-05-6726825d.pth OUT.safetensors", file=sys.stderr)
        return 2
    src, dst = argv[1], argv[2]
    if not os.path.isfile(src):
        print(f"{src} does not exist or is not a file", file=sys.stderr)
        return 2
    import torch
    with open(src, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    try:
        try:
            state = torch.load(src, map_location="cpu", weights_only=True)
        except TypeError:  # torch before 1.13 has no weights_only
            state = torch.load(src, map_location="cpu")
    except Exception as e:  # noqa: BLE001 - any unreadable file gets one line
        print(f"{src}: not a PyTorch state_dict file ({type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''})", file=sys.stderr)
        return 2
    if not isinstance(state, dict) or "Conv2d_1a_3x3.conv.weight" not in state:
        print(f"{src}: not pytorch-fid's Inception state_dict (no Conv2d_1a_3x3.conv.weight)", file=sys.stderr)
        return 2
    tensors = {}
    for name, t in state.items():
        if name.endswith("num_batches_tracked"):
            continue
        if not t.is_floating_point():
            print(f"{src}: {name} is {t.dtype}, expected floating point", file=sys.stderr)
            return 2
        tensors[name] = t.detach().to(torch.float32).contiguous().numpy()
    size = safetensors_out.write(dst, tensors, {"format": FORMAT, "source": os.path.basename(src), "sha256": digest})
    print(f"wrote {dst}: {len(tensors)} tensors, {size} bytes (source sha256 {digest})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
