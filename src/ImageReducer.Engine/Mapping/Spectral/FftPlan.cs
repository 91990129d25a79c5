using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ImageReducer.Engine.Mapping.Spectral;

/// <summary>
/// A 1-D discrete Fourier transform of one length N (numpy's sign convention: forward <c>e^{−2πi jk/N}</c>; both
/// directions unscaled), run over a batch of transforms at once: element j of every transform is row j of a
/// row-major array of <c>lanes</c> doubles per row, real and imaginary parts in separate arrays. The batch is
/// processed a <see cref="Vector{T}"/> of lanes at a time, so a 2-D transform's columns go through the SIMD units
/// side by side without any gather.
/// </summary>
/// <remarks>
/// <para>Mixed radix, Stockham auto-sort (decimation in frequency, output in natural order, no bit reversal):
/// radix 4, 2 and 3 butterflies, any other prime factor p by its direct DFT with the symmetric pairs
/// <c>a_j ± a_{p−j}</c> (about 2p real multiply-adds per point, as pocketfft's generic pass). The image-differencing
/// frames have lengths such as 74 = 2·37 and 58 = 2·29 that the reference fixes, so the prime pass is what replaces
/// Bluestein's algorithm (two transforms of a length ≥ 2N − 1 per row). Twiddles and the prime pass's cosines are
/// computed once per plan.</para>
/// <para>Determinism: every lane runs the same sequence of IEEE multiplies and adds (no fused multiply-add, no
/// horizontal operation), so a value does not depend on the vector width, the lane it sits in, the thread or the
/// host's SIMD support. Immutable after construction and thread-safe; the caller owns the arrays.</para>
/// </remarks>
public sealed class FftPlan
{
    private readonly Stage[] stages;

    /// <summary>Plans the transforms of length <paramref name="length"/> (≥ 1).</summary>
    public FftPlan(int length)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 1);
        Length = length;
        var list = new List<Stage>();
        int n = length, s = 1;
        foreach (int radix in Factor(length))
        {
            list.Add(new Stage(radix, n, s));
            n /= radix;
            s *= radix;
        }
        stages = [.. list];
    }

    /// <summary>The transform length N.</summary>
    public int Length { get; }

    /// <summary>The radices of the passes, in order (a prime other than 2 and 3 is one direct pass).</summary>
    public IReadOnlyList<int> Radices => [.. stages.Select(st => st.Radix)];

    /// <summary>
    /// Transforms every lane of <paramref name="re"/>/<paramref name="im"/> (N rows of <paramref name="lanes"/>
    /// doubles) in place, unscaled; <paramref name="workRe"/>/<paramref name="workIm"/> are scratch of the same size.
    /// <paramref name="lanes"/> must be a multiple of <see cref="LaneMultiple"/>.
    /// </summary>
    public void Transform(Span<double> re, Span<double> im, Span<double> workRe, Span<double> workIm, int lanes, bool inverse)
    {
        if (lanes <= 0 || lanes % LaneMultiple != 0) throw new ArgumentException($"lanes must be a positive multiple of {LaneMultiple}, got {lanes}.", nameof(lanes));
        int size = Length * lanes;
        if (re.Length < size || im.Length < size || workRe.Length < size || workIm.Length < size)
            throw new ArgumentException($"The arrays must hold {Length} rows of {lanes} values.");
        Span<Vector<double>> xr = Vectors(re, size), xi = Vectors(im, size), yr = Vectors(workRe, size), yi = Vectors(workIm, size);
        int vl = lanes / Vector<double>.Count;
        double sign = inverse ? 1.0 : -1.0;
        bool inWork = false;
        foreach (Stage stage in stages)
        {
            if (inWork) stage.Run(yr, yi, xr, xi, vl, sign);
            else stage.Run(xr, xi, yr, yi, vl, sign);
            inWork = !inWork;
        }
        if (inWork)
        {
            workRe[..size].CopyTo(re);
            workIm[..size].CopyTo(im);
        }
    }

    /// <summary>Lane counts must be multiples of this (the widest vector the runtime may use, in doubles).</summary>
    public const int LaneMultiple = 8;

    private static Span<Vector<double>> Vectors(Span<double> values, int size) => MemoryMarshal.Cast<double, Vector<double>>(values[..size]);

    /// <summary>Radix 4 while 4 divides what is left, then 2, 3, then the other primes ascending.</summary>
    private static List<int> Factor(int n)
    {
        var factors = new List<int>();
        while (n % 4 == 0) { factors.Add(4); n /= 4; }
        while (n % 2 == 0) { factors.Add(2); n /= 2; }
        for (int p = 3; n > 1; p += 2)
        {
            if ((long)p * p > n) { factors.Add(n); break; }
            while (n % p == 0) { factors.Add(p); n /= p; }
        }
        return factors;
    }

    /// <summary>
    /// One Stockham pass: the sequence has sub-length <c>n</c> = r·m and stride s (rows): for each p &lt; m, the r
    /// inputs x[s·(p + j·m) + q] go through an r-point DFT, output k is multiplied by <c>w_n^{p·k}</c> and written to
    /// y[s·(r·p + k) + q]. For a fixed p and j the s rows q are contiguous, so the inner loop runs over s·lanes
    /// contiguous doubles.
    /// </summary>
    private sealed class Stage
    {
        private readonly int m, s;
        private readonly double[] twRe, twIm;    // cos and sin of 2π·p·k/n at p·r + k (the twiddle is cos + i·sign·sin)
        private readonly double[] cos, sin;      // generic prime: cos/sin(2π·j·k/r) at (j−1)·h + (k−1), j, k in 1..h

        public Stage(int radix, int n, int stride)
        {
            Radix = radix;
            m = n / radix;
            s = stride;
            twRe = new double[m * radix];
            twIm = new double[m * radix];
            for (int p = 0; p < m; p++)
                for (int k = 0; k < radix; k++)
                {
                    // The angle reduced modulo n in integers, so large p·k lose no precision.
                    (double sn, double cs) = Math.SinCos(2 * Math.PI * ((long)p * k % n) / n);
                    twRe[p * radix + k] = cs;
                    twIm[p * radix + k] = sn;
                }
            int h = (radix - 1) / 2;
            cos = new double[radix > 3 ? h * h : 0];
            sin = new double[cos.Length];
            if (radix > 3)
                for (int j = 1; j <= h; j++)
                    for (int k = 1; k <= h; k++)
                    {
                        (double sn, double cs) = Math.SinCos(2 * Math.PI * (j * k % radix) / radix);
                        cos[(j - 1) * h + k - 1] = cs;
                        sin[(j - 1) * h + k - 1] = sn;
                    }
        }

        public int Radix { get; }

        public void Run(Span<Vector<double>> xr, Span<Vector<double>> xi, Span<Vector<double>> yr, Span<Vector<double>> yi, int vl, double sign)
        {
            int block = s * vl;
            switch (Radix)
            {
                case 2: Radix2(xr, xi, yr, yi, block, sign); break;
                case 3: Radix3(xr, xi, yr, yi, block, sign); break;
                case 4: Radix4(xr, xi, yr, yi, block, sign); break;
                default: Prime(xr, xi, yr, yi, block, sign); break;
            }
        }

        /// <summary>y[o] = b·w with w = tr + i·ti (the caller gives ti = sign·sin: the inverse's twiddle is the conjugate).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Store(Span<Vector<double>> yr, Span<Vector<double>> yi, int o, Vector<double> br, Vector<double> bi, double tr, double ti)
        {
            var wr = new Vector<double>(tr);
            var wi = new Vector<double>(ti);
            yr[o] = br * wr - bi * wi;
            yi[o] = br * wi + bi * wr;
        }

        private void Radix2(Span<Vector<double>> xr, Span<Vector<double>> xi, Span<Vector<double>> yr, Span<Vector<double>> yi, int block, double sign)
        {
            for (int p = 0; p < m; p++)
            {
                int i0 = p * block, i1 = (p + m) * block, o0 = 2 * p * block, o1 = o0 + block;
                double tr = twRe[p * 2 + 1], ti = sign * twIm[p * 2 + 1];
                for (int t = 0; t < block; t++)
                {
                    Vector<double> ar = xr[i0 + t], ai = xi[i0 + t], br = xr[i1 + t], bi = xi[i1 + t];
                    yr[o0 + t] = ar + br;
                    yi[o0 + t] = ai + bi;
                    if (p == 0) { yr[o1 + t] = ar - br; yi[o1 + t] = ai - bi; }
                    else Store(yr, yi, o1 + t, ar - br, ai - bi, tr, ti);
                }
            }
        }

        private void Radix3(Span<Vector<double>> xr, Span<Vector<double>> xi, Span<Vector<double>> yr, Span<Vector<double>> yi, int block, double sign)
        {
            var half = new Vector<double>(0.5);
            var c = new Vector<double>(sign * 0.86602540378443864676); // sign·sin(2π/3)
            for (int p = 0; p < m; p++)
            {
                int i0 = p * block, i1 = (p + m) * block, i2 = (p + 2 * m) * block, o0 = 3 * p * block;
                double t1r = twRe[p * 3 + 1], t1i = sign * twIm[p * 3 + 1], t2r = twRe[p * 3 + 2], t2i = sign * twIm[p * 3 + 2];
                for (int t = 0; t < block; t++)
                {
                    Vector<double> a0r = xr[i0 + t], a0i = xi[i0 + t];
                    Vector<double> sr = xr[i1 + t] + xr[i2 + t], si = xi[i1 + t] + xi[i2 + t];
                    Vector<double> dr = (xr[i1 + t] - xr[i2 + t]) * c, di = (xi[i1 + t] - xi[i2 + t]) * c;
                    Vector<double> mr = a0r - sr * half, mi = a0i - si * half;
                    yr[o0 + t] = a0r + sr;
                    yi[o0 + t] = a0i + si;
                    // b1 = m + i·c·d, b2 = m − i·c·d
                    if (p == 0)
                    {
                        yr[o0 + block + t] = mr - di; yi[o0 + block + t] = mi + dr;
                        yr[o0 + 2 * block + t] = mr + di; yi[o0 + 2 * block + t] = mi - dr;
                    }
                    else
                    {
                        Store(yr, yi, o0 + block + t, mr - di, mi + dr, t1r, t1i);
                        Store(yr, yi, o0 + 2 * block + t, mr + di, mi - dr, t2r, t2i);
                    }
                }
            }
        }

        private void Radix4(Span<Vector<double>> xr, Span<Vector<double>> xi, Span<Vector<double>> yr, Span<Vector<double>> yi, int block, double sign)
        {
            bool inverse = sign > 0;
            for (int p = 0; p < m; p++)
            {
                int i0 = p * block, i1 = (p + m) * block, i2 = (p + 2 * m) * block, i3 = (p + 3 * m) * block, o0 = 4 * p * block;
                double t1r = twRe[p * 4 + 1], t1i = sign * twIm[p * 4 + 1], t2r = twRe[p * 4 + 2], t2i = sign * twIm[p * 4 + 2];
                double t3r = twRe[p * 4 + 3], t3i = sign * twIm[p * 4 + 3];
                for (int t = 0; t < block; t++)
                {
                    Vector<double> s0r = xr[i0 + t] + xr[i2 + t], s0i = xi[i0 + t] + xi[i2 + t];
                    Vector<double> d0r = xr[i0 + t] - xr[i2 + t], d0i = xi[i0 + t] - xi[i2 + t];
                    Vector<double> s1r = xr[i1 + t] + xr[i3 + t], s1i = xi[i1 + t] + xi[i3 + t];
                    Vector<double> d1r = xr[i1 + t] - xr[i3 + t], d1i = xi[i1 + t] - xi[i3 + t];
                    // Forward: b1 = d0 − i·d1, b3 = d0 + i·d1; the inverse swaps them.
                    Vector<double> b1r = d0r + d1i, b1i = d0i - d1r, b3r = d0r - d1i, b3i = d0i + d1r;
                    if (inverse) (b1r, b1i, b3r, b3i) = (b3r, b3i, b1r, b1i);
                    yr[o0 + t] = s0r + s1r;
                    yi[o0 + t] = s0i + s1i;
                    if (p == 0)
                    {
                        yr[o0 + block + t] = b1r; yi[o0 + block + t] = b1i;
                        yr[o0 + 2 * block + t] = s0r - s1r; yi[o0 + 2 * block + t] = s0i - s1i;
                        yr[o0 + 3 * block + t] = b3r; yi[o0 + 3 * block + t] = b3i;
                    }
                    else
                    {
                        Store(yr, yi, o0 + block + t, b1r, b1i, t1r, t1i);
                        Store(yr, yi, o0 + 2 * block + t, s0r - s1r, s0i - s1i, t2r, t2i);
                        Store(yr, yi, o0 + 3 * block + t, b3r, b3i, t3r, t3i);
                    }
                }
            }
        }

        /// <summary>
        /// Direct DFT of an odd prime length r with the symmetric pairs t_j = a_j + a_{r−j}, d_j = a_j − a_{r−j}:
        /// b_k = a_0 + Σ t_j·cos(2πjk/r) + i·sign·Σ d_j·sin(2πjk/r), b_{r−k} the same with the sine term negated.
        /// </summary>
        private void Prime(Span<Vector<double>> xr, Span<Vector<double>> xi, Span<Vector<double>> yr, Span<Vector<double>> yi, int block, double sign)
        {
            int r = Radix, h = (r - 1) / 2;
            // The pair sums and differences of one block position; on the stack for the usual primes (no allocation per call).
            Span<Vector<double>> pairs = h <= 64 ? stackalloc Vector<double>[4 * h] : new Vector<double>[4 * h];
            Span<Vector<double>> tr = pairs[..h], ti = pairs.Slice(h, h), dr = pairs.Slice(2 * h, h), di = pairs.Slice(3 * h, h);
            for (int p = 0; p < m; p++)
            {
                int o0 = r * p * block;
                for (int t = 0; t < block; t++)
                {
                    Vector<double> a0r = xr[p * block + t], a0i = xi[p * block + t], sumR = a0r, sumI = a0i;
                    for (int j = 1; j <= h; j++)
                    {
                        int ij = (p + j * m) * block + t, ik = (p + (r - j) * m) * block + t;
                        tr[j - 1] = xr[ij] + xr[ik];
                        ti[j - 1] = xi[ij] + xi[ik];
                        dr[j - 1] = xr[ij] - xr[ik];
                        di[j - 1] = xi[ij] - xi[ik];
                        sumR += tr[j - 1];
                        sumI += ti[j - 1];
                    }
                    yr[o0 + t] = sumR;
                    yi[o0 + t] = sumI;
                    for (int k = 1; k <= h; k++)
                    {
                        Vector<double> cr = a0r, ci = a0i, sr = Vector<double>.Zero, si = Vector<double>.Zero;
                        for (int j = 1; j <= h; j++)
                        {
                            var cs = new Vector<double>(cos[(j - 1) * h + k - 1]);
                            var sn = new Vector<double>(sign * sin[(j - 1) * h + k - 1]);
                            cr += tr[j - 1] * cs;
                            ci += ti[j - 1] * cs;
                            sr += dr[j - 1] * sn;
                            si += di[j - 1] * sn;
                        }
                        // b_k = c + i·s, b_{r−k} = c − i·s (i·s = −si + i·sr)
                        int ok = o0 + k * block + t, on = o0 + (r - k) * block + t;
                        if (p == 0)
                        {
                            yr[ok] = cr - si; yi[ok] = ci + sr;
                            yr[on] = cr + si; yi[on] = ci - sr;
                        }
                        else
                        {
                            Store(yr, yi, ok, cr - si, ci + sr, twRe[p * r + k], sign * twIm[p * r + k]);
                            Store(yr, yi, on, cr + si, ci - sr, twRe[p * r + r - k], sign * twIm[p * r + r - k]);
                        }
                    }
                }
            }
        }
    }
}
