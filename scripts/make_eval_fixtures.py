#!/usr/bin/python3
"""Golden fixture for dcgan.eval (FID and KID), written as a safetensors file.

Regenerate (from the repository root; Debian's python3 with NumPy and SciPy, installed once with
`apt-get install -y python3-scipy`):

    /usr/bin/python3 scripts/make_eval_fixtures.py     # writes src/test/resources/fixtures/fid_kid.safetensors

Deterministic (fixed seeds). The features are made in float64, rounded to float32 (what the file stores and
the Java test reads), and every reference number is computed in float64 from the float32 values.

Tensors
  x [200, 64], y [180, 64]           two correlated feature sets (F32), y shifted, rescaled and mixed differently
  small.x [40, 64], small.y [50, 64] fewer samples than dimensions: both covariances are singular
  kid.x_idx, kid.y_idx [10, 100]     (I64) the rows of x and y in each of 10 KID subsets (without replacement)
Metadata (floats as Python repr, i.e. exact doubles)
  fid        pytorch-fid's calculate_frechet_distance(mean/cov of x, mean/cov of y) (scipy.linalg.sqrtm)
  fid_xx     the same for x against itself (about 0)
  small.fid  the same for small.x against small.y
  kid.values the unbiased MMD^2 (cubic polynomial kernel) of each subset, comma-separated
  kid.mean, kid.std   their mean and population standard deviation (as torchmetrics: std(unbiased=False))
"""

import os

import numpy as np
from scipy import linalg

import safetensors_out

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src", "test", "resources", "fixtures")


def save(name, tensors, metadata):
    """Writes tensors (name -> numpy array, float32 or int64) to OUT/name as safetensors, atomically."""
    size = safetensors_out.write(os.path.join(OUT, name), tensors, metadata)
    print(f"wrote {name}: {len(tensors)} tensors, {size} bytes")


def calculate_activation_statistics(act):
    """pytorch-fid's statistics of a feature set (rows = samples)."""
    mu = np.mean(act, axis=0)
    sigma = np.cov(act, rowvar=False)
    return mu, sigma


def calculate_frechet_distance(mu1, sigma1, mu2, sigma2, eps=1e-6):
    """pytorch-fid 0.3.0's fid_score.calculate_frechet_distance."""
    mu1 = np.atleast_1d(mu1)
    mu2 = np.atleast_1d(mu2)

    sigma1 = np.atleast_2d(sigma1)
    sigma2 = np.atleast_2d(sigma2)

    assert mu1.shape == mu2.shape, "Training and test mean vectors have different lengths"
    assert sigma1.shape == sigma2.shape, "Training and test covariances have different dimensions"

    diff = mu1 - mu2

    # Product might be almost singular
    covmean, _ = linalg.sqrtm(sigma1.dot(sigma2), disp=False)
    if not np.isfinite(covmean).all():
        msg = ("fid calculation produces singular product; adding %s to diagonal of cov estimates") % eps
        print(msg)
        offset = np.eye(sigma1.shape[0]) * eps
        covmean = linalg.sqrtm((sigma1 + offset).dot(sigma2 + offset))

    # Numerical error might give slight imaginary component
    if np.iscomplexobj(covmean):
        if not np.allclose(np.diagonal(covmean).imag, 0, atol=1e-3):
            m = np.max(np.abs(covmean.imag))
            raise ValueError("Imaginary component {}".format(m))
        covmean = covmean.real

    tr_covmean = np.trace(covmean)

    return diff.dot(diff) + np.trace(sigma1) + np.trace(sigma2) - 2 * tr_covmean


def fid(a, b):
    return float(calculate_frechet_distance(*calculate_activation_statistics(a), *calculate_activation_statistics(b)))


# ------------------------------------------------------------------------------ KID

def mmd2(x, y):
    """Unbiased MMD^2 with k(a, b) = (a.b / d + 1)^3, as clean-fid's kernel_distance and torchmetrics' poly_mmd
    compute it for one subset: off-diagonal means of k(x, x) and k(y, y) minus twice the mean of k(x, y)."""
    m, d = x.shape
    kxx = (x @ x.T / d + 1) ** 3
    kyy = (y @ y.T / d + 1) ** 3
    kxy = (x @ y.T / d + 1) ** 3
    return (kxx.sum() - np.trace(kxx) + kyy.sum() - np.trace(kyy)) / (m * (m - 1)) - 2 * kxy.sum() / (m * m)


# ------------------------------------------------------------------------------ data

def features(rng, n, mix, shift, scale):
    """n samples of 64 correlated features: 16 latent factors mixed by `mix`, plus noise, shifted and scaled."""
    z = rng.standard_normal((n, mix.shape[0]))
    return (scale * (z @ mix + 0.3 * rng.standard_normal((n, mix.shape[1]))) + shift).astype(np.float32)


def main():
    rng = np.random.default_rng(20260313)
    d = 64
    mix = rng.standard_normal((16, d)) / 4
    mix_y = mix + 0.15 * rng.standard_normal((16, d))
    shift = rng.uniform(0.0, 1.0, d)
    x = features(rng, 200, mix, shift, 1.0)
    y = features(rng, 180, mix_y, shift + 0.1 * rng.standard_normal(d), 1.1)
    small_x = features(rng, 40, mix, shift, 1.0)
    small_y = features(rng, 50, mix_y, shift, 1.1)

    x64, y64 = x.astype(np.float64), y.astype(np.float64)
    subsets, size = 10, 100
    x_idx = np.stack([rng.choice(x.shape[0], size, replace=False) for _ in range(subsets)]).astype(np.int64)
    y_idx = np.stack([rng.choice(y.shape[0], size, replace=False) for _ in range(subsets)]).astype(np.int64)
    values = np.array([mmd2(x64[x_idx[s]], y64[y_idx[s]]) for s in range(subsets)])

    meta = {
        "fid": repr(fid(x64, y64)),
        "fid_xx": repr(fid(x64, x64)),
        "small.fid": repr(fid(small_x.astype(np.float64), small_y.astype(np.float64))),
        "kid.values": ",".join(repr(float(v)) for v in values),
        "kid.mean": repr(float(values.mean())),
        "kid.std": repr(float(values.std())),
    }
    for k, v in meta.items():
        print(f"  {k} = {v}")
    save("fid_kid.safetensors", {"x": x, "y": y, "small.x": small_x, "small.y": small_y,
                                 "kid.x_idx": x_idx, "kid.y_idx": y_idx}, meta)


if __name__ == "__main__":
    main()
