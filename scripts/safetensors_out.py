"""Writes safetensors files for the fixture scripts (make_fixtures.py, make_eval_fixtures.py): the format
dcgan.io.SafeTensors reads (8-byte little-endian header length, JSON header padded with spaces to a multiple
of 8, then the raw little-endian data), written to a temporary file, fsynced and renamed into place."""

import json
import os

import numpy as np


def write(path, arrays, metadata=None):
    """arrays: an ordered dict name -> numpy array (float32 or int64), written in that order. Returns the file's size."""
    header = {}
    if metadata:
        header["__metadata__"] = {str(k): str(v) for k, v in metadata.items()}
    blobs, off = [], 0
    for key, a in arrays.items():
        if a.dtype == np.float32:
            dtype, arr = "F32", a.astype("<f4")
        elif a.dtype == np.int64:
            dtype, arr = "I64", a.astype("<i8")
        else:
            raise ValueError(f"{key}: unsupported dtype {a.dtype}")
        b = np.ascontiguousarray(arr).tobytes()
        header[key] = {"dtype": dtype, "shape": list(a.shape), "data_offsets": [off, off + len(b)]}
        blobs.append(b)
        off += len(b)
    h = json.dumps(header, separators=(",", ":")).encode("utf-8")
    h += b" " * ((8 - len(h) % 8) % 8)
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(len(h).to_bytes(8, "little"))
        f.write(h)
        for b in blobs:
            f.write(b)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
    return 8 + len(h) + off
