#!/usr/bin/python3
"""Golden PyTorch fixtures for the Java DCGAN's parity tests, written as safetensors files.

Regenerate (from the repository root; Debian's python3 with torch 1.13, installed once with
`apt-get install -y python3-torch`; the python3 first on PATH may lack torch):

    /usr/bin/python3 scripts/make_fixtures.py            # writes src/test/resources/fixtures/

The output is deterministic (seeded, one thread), so rerunning it gives the same bytes on the same torch
build. The safetensors format is written by hand (JSON header + little-endian numpy bytes, header padded
to 8 bytes); no safetensors package is used. Everything is float32 except BatchNorm's
num_batches_tracked (I64). Scalars have shape [].

Files and tensor names
----------------------
Per-layer fixtures (a). Each file has metadata "cases" = number of cases, and for case i metadata
"case<i>" = comma-separated key=value hyperparameters; tensors are named "case<i>.<tensor>". Every
backward uses an upstream gradient dy (L = sum(y * dy)); weight/affine gradients start from zero.
  conv2d.safetensors            meta n,cin,h,w,cout,k,s,p      x, weight[cout,cin,k,k], y, dy, dx, dweight
  conv_transpose2d.safetensors  meta n,cin,h,w,cout,k,s,p      x, weight[cin,cout,k,k], y, dy, dx, dweight
  batchnorm2d.safetensors       meta n,c,h,w                   x, weight, bias, running_mean, running_var (before),
                                train mode: y, running_mean_after, running_var_after, dy, dx, dweight, dbias;
                                eval mode (uses the running stats *before*): y_eval
  activations.safetensors       meta n,c,h,w   x, and for f in relu, leaky_relu (slope 0.2), tanh, sigmoid:
                                <f>.y, <f>.dy, <f>.dx
  bce.safetensors               meta n,target  p, loss (mean BCE, shape []), dp (grad of loss w.r.t. p)
  adam.safetensors              meta n,rows,cols,steps,lr,beta1,beta2,eps  (one case per param tensor)
                                param0, then for t = 1..steps: grad<t>, param<t> (after step t);
                                exp_avg, exp_avg_sq after the last step
ConvTranspose2d sweep (b), conv_transpose2d_sweep.safetensors: stride 1 and 2, kernel 2..5, padding
  0..min(2, k-1) (zero-insertion pads by k-1-p, so it needs p <= k-1; PyTorch would also accept larger p
  while the output stays positive, which we do not use). Same layout as conv_transpose2d.safetensors.

Three DCGAN training iterations (c), exactly the PyTorch DCGAN tutorial's loop on a 32x32 model:
  nz=16, ngf=ndf=8, nc=3, batch 4, weights_init (conv N(0,0.02); BN weight N(1,0.02), bias 0),
  Adam(lr=2e-4, betas=(0.5, 0.999), eps=1e-8) for both nets, BCELoss (mean), real label 1, fake label 0.
  G = main: 0 ConvT(16,32,4,1,0) 1 BN 2 ReLU 3 ConvT(32,16,4,2,1) 4 BN 5 ReLU 6 ConvT(16,8,4,2,1) 7 BN 8 ReLU
          9 ConvT(8,3,4,2,1) 10 Tanh                                   (noise [4,16,1,1] -> [4,3,32,32])
  D = main: 0 Conv(3,8,4,2,1) 1 LReLU(0.2) 2 Conv(8,16,4,2,1) 3 BN 4 LReLU 5 Conv(16,32,4,2,1) 6 BN 7 LReLU
          8 Conv(32,1,4,1,0) 9 Sigmoid                                 ([4,3,32,32] -> [4,1,1,1], .view(-1))
  No conv has a bias. state_dict names (G): main.0.weight, main.1.{weight,bias,running_mean,running_var,
  num_batches_tracked}, main.3.weight, main.4.*, main.6.weight, main.7.*, main.9.weight;
  (D): main.0.weight, main.2.weight, main.3.*, main.5.weight, main.6.*, main.8.weight.

  dcgan_init_G.safetensors, dcgan_init_D.safetensors: the full state_dicts before iteration 1.
  dcgan_iter<t>.safetensors, t = 1, 2, 3 (metadata: the configuration, and "iteration"):
    real [4,3,32,32]      the real batch (uniform in [-1, 1))
    noise [4,16,1,1]      the noise drawn in the loop (torch.randn)
    fake [4,3,32,32]      netG(noise)
    D_out_real [4]        netD(real).view(-1)
    D_out_fake_detached [4]  netD(fake.detach()).view(-1)   (D's step)
    D_out_fake [4]        netD(fake).view(-1) after optimizerD.step()   (G's step)
    errD_real, errD_fake, errD, errG, D_x, D_G_z1, D_G_z2   scalars []
    grad.D.<param>        D's .grad right before optimizerD.step() (sum of the errD_real and errD_fake
                          backward passes); <param> = main.0.weight, main.2.weight, main.3.weight,
                          main.3.bias, ... (parameters only). D's .grad later also collects errG's backward;
                          that is not saved.
    grad.G.<param>        G's .grad right before optimizerG.step() (from errG only)
    G.<state_dict name>, D.<state_dict name>   full state_dicts after the iteration (both steps done).
  Note that D runs three forward passes per iteration in train mode (real, fake.detach(), fake), so its
  BN running stats move three times (num_batches_tracked += 3) and G's once.
"""

import os
import sys

import torch
import torch.nn as nn

import safetensors_out

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src", "test", "resources", "fixtures")


# ------------------------------------------------------------------------------------------ safetensors

def save(name, tensors, metadata=None):
    """Writes tensors (an ordered dict name -> torch tensor) to OUT/name as safetensors, atomically."""
    size = safetensors_out.write(os.path.join(OUT, name),
                                 {k: t.detach().contiguous().cpu().numpy() for k, t in tensors.items()}, metadata)
    print(f"wrote {name}: {len(tensors)} tensors, {size} bytes")


def meta_str(**kw):
    return ",".join(f"{k}={v}" for k, v in kw.items())


# ------------------------------------------------------------------------------------------ (a) layers

def conv_cases(transpose, cases, fname):
    tensors, meta = {}, {"cases": len(cases)}
    for i, (n, cin, h, w, cout, k, s, p) in enumerate(cases):
        x = torch.randn(n, cin, h, w, requires_grad=True)
        if transpose:
            weight = (torch.randn(cin, cout, k, k) * 0.3).requires_grad_()
            y = torch.nn.functional.conv_transpose2d(x, weight, stride=s, padding=p)
        else:
            weight = (torch.randn(cout, cin, k, k) * 0.3).requires_grad_()
            y = torch.nn.functional.conv2d(x, weight, stride=s, padding=p)
        dy = torch.randn_like(y)
        (y * dy).sum().backward()
        meta[f"case{i}"] = meta_str(n=n, cin=cin, h=h, w=w, cout=cout, k=k, s=s, p=p)
        c = f"case{i}."
        tensors.update({c + "x": x, c + "weight": weight, c + "y": y, c + "dy": dy,
                        c + "dx": x.grad, c + "dweight": weight.grad})
    save(fname, tensors, meta)


def conv2d():
    conv_cases(False, [
        # n, cin, h, w, cout, k, s, p
        (2, 3, 7, 7, 4, 3, 1, 1),
        (2, 4, 9, 9, 5, 4, 2, 1),
        (3, 2, 11, 11, 3, 5, 2, 2),
        (1, 3, 8, 8, 2, 3, 2, 0),
        (2, 3, 10, 7, 4, 5, 1, 0),
        (4, 8, 16, 16, 16, 4, 2, 1),   # a DCGAN discriminator layer
        (4, 32, 4, 4, 1, 4, 1, 0),     # the discriminator's last layer
    ], "conv2d.safetensors")


def conv_transpose2d():
    conv_cases(True, [
        (2, 4, 5, 5, 3, 4, 2, 1),
        (2, 3, 7, 7, 4, 3, 1, 1),
        (3, 2, 5, 6, 3, 5, 2, 2),
        (2, 3, 4, 4, 2, 3, 2, 0),
        (1, 2, 5, 3, 3, 5, 1, 0),
        (4, 16, 1, 1, 32, 4, 1, 0),    # the generator's first layer
        (4, 16, 8, 8, 8, 4, 2, 1),     # a generator layer
    ], "conv_transpose2d.safetensors")


def conv_transpose2d_sweep():
    cases = []
    for s in (1, 2):
        for k in (2, 3, 4, 5):
            for p in range(0, min(2, k - 1) + 1):
                cases.append((2, 3, 4, 5, 2, k, s, p))
    conv_cases(True, cases, "conv_transpose2d_sweep.safetensors")


def batchnorm2d():
    cases = [(4, 3, 5, 5), (2, 8, 4, 4), (4, 16, 1, 1), (3, 5, 7, 3), (4, 32, 4, 4)]
    tensors, meta = {}, {"cases": len(cases), "momentum": 0.1, "eps": 1e-5}
    for i, (n, c, h, w) in enumerate(cases):
        bn = nn.BatchNorm2d(c)
        with torch.no_grad():
            bn.weight.copy_(1 + 0.3 * torch.randn(c))
            bn.bias.copy_(0.5 * torch.randn(c))
            bn.running_mean.copy_(torch.randn(c))
            bn.running_var.copy_(0.5 + torch.rand(c) * 1.5)
        rm0, rv0 = bn.running_mean.clone(), bn.running_var.clone()
        # Per-channel offsets and scales, so that mean subtraction matters.
        x = (torch.randn(n, c, h, w) * (0.5 + 2 * torch.rand(1, c, 1, 1)) + 3 * torch.randn(1, c, 1, 1))
        x.requires_grad_()
        bn.train()
        y = bn(x)
        rm_after, rv_after = bn.running_mean.clone(), bn.running_var.clone()
        dy = torch.randn_like(y)
        (y * dy).sum().backward()
        bn.eval()                                       # eval mode normalises with the stats from before
        with torch.no_grad():
            bn.running_mean.copy_(rm0)
            bn.running_var.copy_(rv0)
            y_eval = bn(x)
        meta[f"case{i}"] = meta_str(n=n, c=c, h=h, w=w)
        p = f"case{i}."
        tensors.update({p + "x": x, p + "weight": bn.weight, p + "bias": bn.bias,
                        p + "running_mean": rm0, p + "running_var": rv0,
                        p + "y": y, p + "running_mean_after": rm_after, p + "running_var_after": rv_after,
                        p + "dy": dy, p + "dx": x.grad, p + "dweight": bn.weight.grad, p + "dbias": bn.bias.grad,
                        p + "y_eval": y_eval})
    save("batchnorm2d.safetensors", tensors, meta)


def activations():
    shapes = [(2, 3, 5, 5), (4, 8, 4, 4), (3, 1, 7, 2)]
    tensors, meta = {}, {"cases": len(shapes), "leaky_slope": 0.2}
    fns = {"relu": torch.relu, "leaky_relu": lambda t: torch.nn.functional.leaky_relu(t, 0.2),
           "tanh": torch.tanh, "sigmoid": torch.sigmoid}
    for i, (n, c, h, w) in enumerate(shapes):
        x = torch.randn(n, c, h, w) * 3
        flat = x.view(-1)
        flat[:4] = 0.0                                  # exact zeros: the kink of relu / leaky relu
        flat[4:8] = torch.tensor([30.0, -30.0, 100.0, -100.0])   # saturation of tanh / sigmoid
        meta[f"case{i}"] = meta_str(n=n, c=c, h=h, w=w)
        tensors[f"case{i}.x"] = x
        for name, f in fns.items():
            xi = x.clone().requires_grad_()
            y = f(xi)
            dy = torch.randn_like(y)
            (y * dy).sum().backward()
            tensors.update({f"case{i}.{name}.y": y, f"case{i}.{name}.dy": dy, f"case{i}.{name}.dx": xi.grad})
    save("activations.safetensors", tensors, meta)


def bce():
    extreme = torch.tensor([0.0, 1.0, 1e-45, 1e-30, 1e-8, 1e-3, 0.5, 1 - 1e-3, 1 - 6e-8, 1 - 1.2e-7], dtype=torch.float32)
    cases = [
        ("uniform", torch.rand(16) * 0.98 + 0.01, 1.0),
        ("uniform", torch.rand(16) * 0.98 + 0.01, 0.0),
        ("extreme", extreme, 1.0),
        ("extreme", extreme, 0.0),
        ("dcgan-batch", torch.sigmoid(torch.randn(4)), 1.0),
        ("dcgan-batch", torch.sigmoid(torch.randn(4)), 0.0),
        ("near-one", torch.tensor([1 - 6e-8, 0.9999, 0.99999, 1.0]), 0.0),   # loss dominated by the -100 clamp
        ("near-zero", torch.tensor([1e-44, 1e-20, 1e-6, 0.0]), 1.0),
    ]
    tensors, meta = {}, {"cases": len(cases)}
    crit = nn.BCELoss()
    for i, (kind, p, target) in enumerate(cases):
        p = p.clone().requires_grad_()
        loss = crit(p, torch.full_like(p, target))
        loss.backward()
        meta[f"case{i}"] = meta_str(n=p.numel(), target=target, kind=kind)
        tensors.update({f"case{i}.p": p, f"case{i}.loss": loss.reshape(()), f"case{i}.dp": p.grad})
    save("bce.safetensors", tensors, meta)


def adam():
    lr, betas, eps, steps = 2e-4, (0.5, 0.999), 1e-8, 5
    shapes = [(5, 7), (3, 4), (1, 16)]
    tensors, meta = {}, {"cases": len(shapes)}
    for i, (r, c) in enumerate(shapes):
        param = torch.randn(r, c, requires_grad=True)
        opt = torch.optim.Adam([param], lr=lr, betas=betas, eps=eps)
        meta[f"case{i}"] = meta_str(n=r * c, rows=r, cols=c, steps=steps, lr=lr, beta1=betas[0], beta2=betas[1], eps=eps)
        tensors[f"case{i}.param0"] = param.detach().clone()
        for t in range(1, steps + 1):
            if i == 1:
                g = torch.randn(r, c) * 1e-7          # gradients near eps
            elif i == 2:
                g = torch.randn(r, c) * 10 * (torch.rand(r, c) > 0.3)   # large, with zeros
            else:
                g = torch.randn(r, c)
            param.grad = g.clone()
            opt.step()
            tensors[f"case{i}.grad{t}"] = g
            tensors[f"case{i}.param{t}"] = param.detach().clone()
        st = opt.state[param]
        tensors[f"case{i}.exp_avg"] = st["exp_avg"]
        tensors[f"case{i}.exp_avg_sq"] = st["exp_avg_sq"]
    save("adam.safetensors", tensors, meta)


# ------------------------------------------------------------------------------------------ (c) DCGAN

NZ, NGF, NDF, NC, BATCH, ITERS, SEED = 16, 8, 8, 3, 4, 3, 999
LR, BETA1, BETA2 = 2e-4, 0.5, 0.999


def weights_init(m):
    classname = m.__class__.__name__
    if classname.find("Conv") != -1:
        nn.init.normal_(m.weight.data, 0.0, 0.02)
    elif classname.find("BatchNorm") != -1:
        nn.init.normal_(m.weight.data, 1.0, 0.02)
        nn.init.constant_(m.bias.data, 0)


class Generator(nn.Module):
    def __init__(self):
        super().__init__()
        self.main = nn.Sequential(
            nn.ConvTranspose2d(NZ, NGF * 4, 4, 1, 0, bias=False),
            nn.BatchNorm2d(NGF * 4),
            nn.ReLU(True),
            nn.ConvTranspose2d(NGF * 4, NGF * 2, 4, 2, 1, bias=False),
            nn.BatchNorm2d(NGF * 2),
            nn.ReLU(True),
            nn.ConvTranspose2d(NGF * 2, NGF, 4, 2, 1, bias=False),
            nn.BatchNorm2d(NGF),
            nn.ReLU(True),
            nn.ConvTranspose2d(NGF, NC, 4, 2, 1, bias=False),
            nn.Tanh(),
        )

    def forward(self, x):
        return self.main(x)


class Discriminator(nn.Module):
    def __init__(self):
        super().__init__()
        self.main = nn.Sequential(
            nn.Conv2d(NC, NDF, 4, 2, 1, bias=False),
            nn.LeakyReLU(0.2, inplace=True),
            nn.Conv2d(NDF, NDF * 2, 4, 2, 1, bias=False),
            nn.BatchNorm2d(NDF * 2),
            nn.LeakyReLU(0.2, inplace=True),
            nn.Conv2d(NDF * 2, NDF * 4, 4, 2, 1, bias=False),
            nn.BatchNorm2d(NDF * 4),
            nn.LeakyReLU(0.2, inplace=True),
            nn.Conv2d(NDF * 4, 1, 4, 1, 0, bias=False),
            nn.Sigmoid(),
        )

    def forward(self, x):
        return self.main(x)


def state(prefix, net):
    return {prefix + k: v.detach().clone() for k, v in net.state_dict().items()}


def grads(prefix, net):
    return {prefix + k: p.grad.detach().clone() for k, p in net.named_parameters()}


def dcgan():
    torch.manual_seed(SEED)
    netG, netD = Generator(), Discriminator()
    netG.apply(weights_init)
    netD.apply(weights_init)
    config = dict(nz=NZ, ngf=NGF, ndf=NDF, nc=NC, batch=BATCH, image=32, lr=LR, beta1=BETA1, beta2=BETA2,
                  eps=1e-8, seed=SEED, torch=torch.__version__)
    save("dcgan_init_G.safetensors", state("", netG), config)
    save("dcgan_init_D.safetensors", state("", netD), config)

    criterion = nn.BCELoss()
    optimizerD = torch.optim.Adam(netD.parameters(), lr=LR, betas=(BETA1, BETA2))
    optimizerG = torch.optim.Adam(netG.parameters(), lr=LR, betas=(BETA1, BETA2))
    real_label, fake_label = 1.0, 0.0

    for it in range(1, ITERS + 1):
        real_cpu = torch.rand(BATCH, NC, 32, 32) * 2 - 1
        out = {"real": real_cpu.clone()}
        # (1) Update D: maximize log(D(x)) + log(1 - D(G(z)))
        netD.zero_grad()
        b_size = real_cpu.size(0)
        label = torch.full((b_size,), real_label, dtype=torch.float)
        output = netD(real_cpu).view(-1)
        errD_real = criterion(output, label)
        errD_real.backward()
        D_x = output.mean()
        out["D_out_real"] = output.detach().clone()

        noise = torch.randn(b_size, NZ, 1, 1)
        fake = netG(noise)
        label.fill_(fake_label)
        output = netD(fake.detach()).view(-1)
        errD_fake = criterion(output, label)
        errD_fake.backward()
        D_G_z1 = output.mean()
        errD = errD_real + errD_fake
        out["noise"] = noise.clone()
        out["fake"] = fake.detach().clone()
        out["D_out_fake_detached"] = output.detach().clone()
        gD = grads("grad.D.", netD)
        optimizerD.step()

        # (2) Update G: maximize log(D(G(z)))
        netG.zero_grad()
        label.fill_(real_label)
        output = netD(fake).view(-1)
        errG = criterion(output, label)
        errG.backward()
        D_G_z2 = output.mean()
        out["D_out_fake"] = output.detach().clone()
        gG = grads("grad.G.", netG)
        optimizerG.step()

        print(f"[{it}/{ITERS}] Loss_D: {errD.item():.4f} Loss_G: {errG.item():.4f} "
              f"D(x): {D_x.item():.4f} D(G(z)): {D_G_z1.item():.4f} / {D_G_z2.item():.4f}")
        scalars = {"errD_real": errD_real, "errD_fake": errD_fake, "errD": errD, "errG": errG,
                   "D_x": D_x, "D_G_z1": D_G_z1, "D_G_z2": D_G_z2}
        for k, v in scalars.items():
            out[k] = v.detach().reshape(()).to(torch.float32)
        out.update(gD)
        out.update(gG)
        out.update(state("G.", netG))
        out.update(state("D.", netD))
        save(f"dcgan_iter{it}.safetensors", out, dict(config, iteration=it))


def main():
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    os.makedirs(OUT, exist_ok=True)
    torch.manual_seed(20240601)
    conv2d()
    conv_transpose2d()
    conv_transpose2d_sweep()
    batchnorm2d()
    activations()
    bce()
    adam()
    dcgan()
    total = sum(os.path.getsize(os.path.join(OUT, f)) for f in os.listdir(OUT) if f.endswith(".safetensors"))
    print(f"total {total} bytes in {os.path.normpath(OUT)}")
    if total > 3 * 1024 * 1024:
        sys.exit("fixtures exceed 3 MB")


if __name__ == "__main__":
    main()
