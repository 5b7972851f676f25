package dcgan.data;

import java.util.SplittableRandom;

/**
 * Procedural cartoon faces, made deterministically from (seed, index) with plain float math — no files, no fonts:
 * a skin-toned face ellipse (shaded), ears, neck and shirt, hair in several styles and colours, eyes with iris,
 * pupil and gaze (sometimes closed), eyebrows, nose, a mouth (smile, frown or open), sometimes glasses or blush,
 * at varied positions, sizes, tilts and turns, on varied backgrounds. Each pixel averages a grid of sub-pixel
 * samples (anti-aliasing). Something a DCGAN visibly learns in minutes.
 *
 * <p>Any number of images and any size; nc = 3 (RGB) or 1 (PIL's grey conversion of the RGB image).
 */
public final class SyntheticFaces implements Dataset {
    public static final int DEFAULT_SIZE = 60_000;

    private static final float[][] SKIN = {
        {1.00f, 0.87f, 0.77f}, {0.96f, 0.80f, 0.69f}, {0.91f, 0.72f, 0.56f}, {0.80f, 0.60f, 0.45f},
        {0.66f, 0.45f, 0.32f}, {0.48f, 0.32f, 0.22f}, {0.35f, 0.23f, 0.16f}};
    private static final float[][] HAIR = {
        {0.08f, 0.07f, 0.07f}, {0.25f, 0.15f, 0.08f}, {0.45f, 0.28f, 0.14f}, {0.86f, 0.72f, 0.42f},
        {0.68f, 0.27f, 0.10f}, {0.62f, 0.62f, 0.62f}, {0.92f, 0.91f, 0.88f}};
    private static final float[][] IRIS = {
        {0.36f, 0.21f, 0.10f}, {0.24f, 0.45f, 0.76f}, {0.28f, 0.52f, 0.30f}, {0.10f, 0.07f, 0.05f}, {0.55f, 0.42f, 0.18f}};

    private final long seed;
    private final int count, imageSize, nc;

    public SyntheticFaces(long seed, int count, int imageSize, int nc) {
        if (count < 1) throw new IllegalArgumentException("synthetic dataset needs at least 1 image, got " + count);
        if (nc != 1 && nc != 3) throw new IllegalArgumentException("synthetic dataset: nc must be 1 or 3, got " + nc);
        if (imageSize < 1) throw new IllegalArgumentException("image size must be positive, got " + imageSize);
        this.seed = seed;
        this.count = count;
        this.imageSize = imageSize;
        this.nc = nc;
    }

    @Override public String name() { return "synthetic"; }
    @Override public int size() { return count; }
    @Override public int channels() { return nc; }
    @Override public int imageSize() { return imageSize; }

    @Override public String describe() {
        return "synthetic faces (seed " + seed + "): " + count + " images, " + nc + "x" + imageSize + "x" + imageSize;
    }

    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    @Override public void load(int index, float[] dst, int offset) {
        if (index < 0 || index >= count) throw new IndexOutOfBoundsException("image index " + index + " out of 0.." + (count - 1));
        Face f = new Face(new SplittableRandom(mix(seed * 0x9E3779B97F4A7C15L + mix(index + 0x632BE59BD9B4E019L))));
        int n = imageSize, plane = n * n;
        int ss = Math.max(2, Math.min(4, (128 + n - 1) / n));   // sub-samples per axis
        float inv = 1f / (n * ss);
        float[] rgb = new float[3];
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) {
                float r = 0, g = 0, b = 0;
                for (int sy = 0; sy < ss; sy++) {
                    for (int sx = 0; sx < ss; sx++) {
                        f.shade((x * ss + sx + 0.5f) * inv, (y * ss + sy + 0.5f) * inv, rgb);
                        r += rgb[0];
                        g += rgb[1];
                        b += rgb[2];
                    }
                }
                float k = 255f / (ss * ss);
                float R = level(r * k), G = level(g * k), B = level(b * k);
                int i = offset + y * n + x;
                if (nc == 3) {
                    dst[i] = R * (2f / 255f) - 1f;
                    dst[i + plane] = G * (2f / 255f) - 1f;
                    dst[i + 2 * plane] = B * (2f / 255f) - 1f;
                } else {
                    dst[i] = level(Resample.luma(R, G, B)) * (2f / 255f) - 1f;
                }
            }
        }
    }

    private static float level(float v) {
        return v <= 0f ? 0f : v >= 255f ? 255f : (float) Math.floor(v + 0.5f);
    }

    /** One face's parameters and its colour at any point of the unit square (y down). */
    private static final class Face {
        // background
        final float[] bgA, bgB, blobC;
        final float gdx, gdy, blobX, blobY, blobR;
        final boolean blob;
        // geometry: face centre, half width (unit of the local "q" coordinates), aspect, tilt
        final float cx, cy, rx, aspect, cos, sin;
        final float yaw;
        final float[] skin, hair, iris, shirt, lip, brow;
        final int hairStyle;           // 0 short, 1 long, 2 bun, 3 bald, 4 spiky
        final float fringeY, fringeAmp, fringeFreq, fringePhase, part;
        final float eyeX, eyeY, eyeRx, eyeRy, gazeX, gazeY;
        final boolean blink, glasses, blush, openMouth;
        final float browLift, browTilt, browThick;
        final float noseY, noseR, mouthY, mouthW, smile, mouthThick;
        final float[] glassC;

        Face(SplittableRandom r) {
            float h = (float) r.nextDouble();
            bgA = hsv(h, 0.15f + 0.45f * f(r), 0.35f + 0.6f * f(r));
            bgB = hsv(h + 0.3f * (f(r) - 0.5f), 0.1f + 0.5f * f(r), 0.3f + 0.65f * f(r));
            float ga = (float) (2 * Math.PI * r.nextDouble());
            gdx = (float) Math.cos(ga);
            gdy = (float) Math.sin(ga);
            blob = r.nextDouble() < 0.35;
            blobC = hsv((float) r.nextDouble(), 0.2f + 0.5f * f(r), 0.5f + 0.5f * f(r));
            blobX = f(r);
            blobY = 0.5f * f(r);
            blobR = 0.1f + 0.25f * f(r);

            rx = 0.16f + 0.09f * f(r);
            aspect = 1.15f + 0.25f * f(r);
            cx = 0.5f + 0.14f * (f(r) - 0.5f);
            cy = 0.46f + 0.12f * (f(r) - 0.5f);
            float tilt = (float) Math.max(-0.35, Math.min(0.35, 0.14 * r.nextGaussian()));
            cos = (float) Math.cos(tilt);
            sin = (float) Math.sin(tilt);
            yaw = (float) Math.max(-0.3, Math.min(0.3, 0.12 * r.nextGaussian()));

            skin = jitter(SKIN[r.nextInt(SKIN.length)], r, 0.04f);
            hair = r.nextDouble() < 0.06 ? hsv((float) r.nextDouble(), 0.7f, 0.8f) : jitter(HAIR[r.nextInt(HAIR.length)], r, 0.04f);
            iris = jitter(IRIS[r.nextInt(IRIS.length)], r, 0.03f);
            shirt = hsv((float) r.nextDouble(), 0.2f + 0.7f * f(r), 0.25f + 0.7f * f(r));
            lip = new float[] {Math.min(1, skin[0] * 0.85f + 0.1f), skin[1] * 0.55f, skin[2] * 0.55f};
            double hs = r.nextDouble();
            hairStyle = hs < 0.38 ? 0 : hs < 0.68 ? 1 : hs < 0.78 ? 2 : hs < 0.88 ? 3 : 4;
            float[] bc = hairStyle == 3 || hair[0] > 0.8f ? new float[] {0.3f, 0.25f, 0.2f} : hair;
            brow = new float[] {bc[0] * 0.9f, bc[1] * 0.9f, bc[2] * 0.9f};
            fringeY = -0.85f + 0.4f * f(r);
            fringeAmp = 0.02f + 0.08f * f(r);
            fringeFreq = 4f + 8f * f(r);
            fringePhase = (float) (2 * Math.PI * r.nextDouble());
            part = 0.5f * (f(r) - 0.5f);

            eyeX = 0.34f + 0.12f * f(r);
            eyeY = -0.2f + 0.15f * f(r);
            eyeRx = 0.15f + 0.08f * f(r);
            eyeRy = eyeRx * (0.45f + 0.35f * f(r));
            gazeX = 0.35f * (f(r) - 0.5f) + 0.6f * yaw;
            gazeY = 0.2f * (f(r) - 0.5f);
            blink = r.nextDouble() < 0.07;
            glasses = r.nextDouble() < 0.12;
            glassC = r.nextBoolean() ? new float[] {0.08f, 0.08f, 0.08f} : hsv((float) r.nextDouble(), 0.6f, 0.5f);
            blush = r.nextDouble() < 0.3;
            browLift = 0.07f + 0.08f * f(r);
            browTilt = 0.35f * (f(r) - 0.5f);
            browThick = 0.025f + 0.03f * f(r);
            noseY = 0.2f + 0.15f * f(r);
            noseR = 0.06f + 0.05f * f(r);
            mouthY = 0.55f + 0.25f * f(r);
            mouthW = 0.22f + 0.2f * f(r);
            smile = r.nextDouble() < 0.75 ? 0.04f + 0.12f * f(r) : -0.03f - 0.06f * f(r);
            mouthThick = 0.025f + 0.03f * f(r);
            openMouth = r.nextDouble() < 0.2;
        }

        void shade(float u, float v, float[] out) {
            // --- background: linear gradient, maybe a soft blob
            float t = 0.5f + 0.7f * ((u - 0.5f) * gdx + (v - 0.5f) * gdy);
            t = t < 0 ? 0 : t > 1 ? 1 : t;
            float R = bgA[0] + (bgB[0] - bgA[0]) * t, G = bgA[1] + (bgB[1] - bgA[1]) * t, B = bgA[2] + (bgB[2] - bgA[2]) * t;
            if (blob) {
                float dx = u - blobX, dy = v - blobY;
                if (dx * dx + dy * dy < blobR * blobR) { R = blobC[0]; G = blobC[1]; B = blobC[2]; }
            }
            // local, isotropic face coordinates: q = rotate(p - centre) / rx, y down
            float dx = u - cx, dy = v - cy;
            float qx = (dx * cos + dy * sin) / rx, qy = (-dx * sin + dy * cos) / rx;
            float a = aspect;
            // --- shirt (shoulders) and neck, in the face frame so they tilt with it
            float sx = qx / 2.6f, sy = (qy - (a + 1.9f)) / 1.7f;
            if (sx * sx + sy * sy < 1f) { R = shirt[0]; G = shirt[1]; B = shirt[2]; }
            if (Math.abs(qx) < 0.48f && qy > 0 && qy < a + 0.5f) { R = skin[0] * 0.8f; G = skin[1] * 0.8f; B = skin[2] * 0.8f; }
            // --- hair behind the head
            if (hairStyle == 1) {
                float hx = qx / 1.3f, hy = (qy - 0.2f * a) / (1.25f * a);
                if (hx * hx + hy * hy < 1f && qy < a * 1.35f) { R = hair[0]; G = hair[1]; B = hair[2]; }
            } else if (hairStyle == 0 || hairStyle == 2 || hairStyle == 4) {
                float hx = qx / 1.12f, hy = (qy + 0.12f * a) / (1.06f * a);
                if (hx * hx + hy * hy < 1f && qy < 0.1f * a) { R = hair[0]; G = hair[1]; B = hair[2]; }
            }
            if (hairStyle == 2) {
                float bx = qx, by = qy + 1.2f * a;
                if (bx * bx + by * by < 0.3f) { R = hair[0]; G = hair[1]; B = hair[2]; }
            }
            if (hairStyle == 4) {   // spikes above the head
                float ang = (float) Math.atan2(qx, -(qy + 0.2f * a));
                float rr = (float) Math.sqrt(qx * qx + (qy + 0.2f * a) * (qy + 0.2f * a));
                float spike = 1.05f * a + 0.25f * Math.abs((float) Math.sin(ang * 5f + fringePhase));
                if (Math.abs(ang) < 1.4f && rr < spike) { R = hair[0]; G = hair[1]; B = hair[2]; }
            }
            // --- ears
            for (int side = -1; side <= 1; side += 2) {
                float ex = (qx - side * (0.98f - 0.25f * yaw * side)) / 0.17f, ey = (qy - 0.05f * a) / 0.28f;
                if (ex * ex + ey * ey < 1f) { R = skin[0] * 0.9f; G = skin[1] * 0.9f; B = skin[2] * 0.9f; }
            }
            // --- face, shaded towards its edge
            float fy = qy / a, r2 = qx * qx + fy * fy;
            if (r2 >= 1f) { set(out, R, G, B); return; }
            float sh = 1.06f - 0.22f * r2 + 0.08f * yaw * qx;
            R = skin[0] * sh; G = skin[1] * sh; B = skin[2] * sh;
            // features shift with the turn of the head
            float fx = qx - yaw;
            // --- blush
            if (blush) {
                float bx = Math.abs(fx) - 0.55f, by = qy - (mouthY - 0.25f) * a * 0.8f;
                float d = bx * bx + by * by;
                if (d < 0.03f) { float k = 0.35f * (1f - d / 0.03f); R += (0.95f - R) * k; G += (0.45f - G) * k; B += (0.5f - B) * k; }
            }
            // --- fringe over the forehead
            if (hairStyle != 3) {
                float line = fringeY * a + fringeAmp * (float) Math.sin(qx * fringeFreq + fringePhase) + 0.25f * Math.abs(qx - part) * a;
                if (qy < line) { R = hair[0]; G = hair[1]; B = hair[2]; }
            }
            // --- eyes, brows
            for (int side = -1; side <= 1; side += 2) {
                float scale = 1f - 0.6f * yaw * side;   // the far eye looks narrower
                float erx = eyeRx * scale, ex = fx - side * eyeX * (1f - 0.3f * yaw * side), ey = qy - eyeY * a;
                // brow
                float bx = ex, by = ey + eyeRy + browLift;
                float bty = by - side * browTilt * bx;
                if (Math.abs(bx) < erx * 1.15f && Math.abs(bty) < browThick) {
                    R = brow[0]; G = brow[1]; B = brow[2];
                }
                if (blink) {
                    float lx = ex / erx;
                    if (Math.abs(lx) < 1f && Math.abs(ey - 0.25f * eyeRy * (1 - lx * lx)) < 0.02f) { R = 0.15f; G = 0.1f; B = 0.1f; }
                } else {
                    float wx = ex / erx, wy = ey / eyeRy;
                    if (wx * wx + wy * wy < 1f) {
                        R = 0.97f; G = 0.97f; B = 0.95f;
                        float ix = ex - gazeX * erx, iy = ey - gazeY * eyeRy;
                        float ir = eyeRy * 0.95f;
                        float id = ix * ix + iy * iy;
                        if (id < ir * ir) {
                            R = iris[0]; G = iris[1]; B = iris[2];
                            if (id < ir * ir * 0.2f) { R = 0.03f; G = 0.03f; B = 0.03f; }
                            float hx = ix + 0.35f * ir, hy = iy + 0.35f * ir;
                            if (hx * hx + hy * hy < ir * ir * 0.05f) { R = 1f; G = 1f; B = 1f; }
                        }
                    } else if (wx * wx + wy * wy < 1.25f && wy < 0) {
                        R *= 0.5f; G *= 0.45f; B *= 0.45f;   // upper lid line
                    }
                }
                if (glasses) {
                    float gx = ex, gy = ey;
                    float d = (float) Math.sqrt(gx * gx + gy * gy), gr = erx * 1.45f;
                    if (Math.abs(d - gr) < 0.035f) { R = glassC[0]; G = glassC[1]; B = glassC[2]; }
                }
            }
            if (glasses) {
                float gr = eyeRx * 1.45f;
                if (Math.abs(fx) < eyeX - gr && Math.abs(qy - eyeY * a + 0.02f) < 0.025f) { R = glassC[0]; G = glassC[1]; B = glassC[2]; }
            }
            // --- nose
            {
                float nx = (fx - 0.3f * yaw) / noseR, ny = (qy - noseY * a) / (noseR * 1.6f);
                if (nx * nx + ny * ny < 1f) { R *= 0.82f; G *= 0.78f; B *= 0.76f; }
            }
            // --- mouth
            {
                float mx = fx / mouthW, my = qy - mouthY * a;
                if (openMouth) {
                    float ox = fx / (mouthW * 0.75f), oy = (my - 0.02f) / (mouthW * 0.45f);
                    if (ox * ox + oy * oy < 1f) {
                        if (oy < -0.45f) { R = 0.95f; G = 0.95f; B = 0.92f; }
                        else { R = 0.35f; G = 0.06f; B = 0.08f; }
                    }
                } else if (Math.abs(mx) < 1f) {
                    float curve = smile * (1f - mx * mx);
                    float thick = mouthThick * (0.4f + 0.6f * (float) Math.sqrt(1f - mx * mx));
                    if (Math.abs(my - curve) < thick) { R = lip[0]; G = lip[1]; B = lip[2]; }
                }
            }
            set(out, R, G, B);
        }

        private static void set(float[] out, float r, float g, float b) {
            out[0] = r < 0 ? 0 : Math.min(r, 1f);
            out[1] = g < 0 ? 0 : Math.min(g, 1f);
            out[2] = b < 0 ? 0 : Math.min(b, 1f);
        }

        private static float f(SplittableRandom r) { return (float) r.nextDouble(); }

        private static float[] jitter(float[] c, SplittableRandom r, float amt) {
            float d = amt * (float) (r.nextDouble() * 2 - 1);
            return new float[] {clamp(c[0] + d + amt * 0.3f * (f(r) - 0.5f)), clamp(c[1] + d), clamp(c[2] + d + amt * 0.3f * (f(r) - 0.5f))};
        }

        private static float clamp(float v) { return v < 0 ? 0 : Math.min(v, 1f); }

        static float[] hsv(float h, float s, float v) {
            h = h - (float) Math.floor(h);
            float hh = h * 6f;
            int i = (int) hh;
            float fr = hh - i, p = v * (1 - s), q = v * (1 - s * fr), t = v * (1 - s * (1 - fr));
            return switch (i % 6) {
                case 0 -> new float[] {v, t, p};
                case 1 -> new float[] {q, v, p};
                case 2 -> new float[] {p, v, t};
                case 3 -> new float[] {p, q, v};
                case 4 -> new float[] {t, p, v};
                default -> new float[] {v, p, q};
            };
        }
    }
}
