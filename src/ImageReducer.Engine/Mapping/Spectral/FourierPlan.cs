using System.Numerics;
using MathNet.Numerics.IntegralTransforms;

namespace ImageReducer.Engine.Mapping.Spectral;

/// <summary>
/// A 1-D discrete Fourier transform of one length, numpy's conventions (forward <c>e^{−2πi nk/N}</c> unscaled,
/// inverse scaled by 1/N), built once and reused for every row and column of every cell of that length.
/// </summary>
/// <remarks>
/// <para>A power-of-two length goes straight to MathNet's radix-2 transform. Any other length is Bluestein's
/// algorithm — the DFT as a convolution with the chirp <c>w_m = e^{iπm²/N}</c>, done by MathNet radix-2 transforms
/// of a power-of-two length M ≥ 2N − 1 — with the chirp and the transform of the convolution kernel computed here,
/// once per length: MathNet's own arbitrary-length path recomputes both (N complex exponentials and one extra
/// M-point transform) on every call.</para>
/// <para>Not thread-safe (it owns its work buffer): one plan per thread (<see cref="FourierPlans"/>).</para>
/// </remarks>
public sealed class FourierPlan
{
    private readonly Complex[]? chirp;     // w_n* for n < N (Bluestein only)
    private readonly Complex[]? kernel;    // FFT_M(b), b the chirp wrapped to length M
    private readonly Complex[] work;       // length M (Bluestein) or N (radix-2)

    /// <summary>Plans the transforms of length <paramref name="length"/> (≥ 1).</summary>
    public FourierPlan(int length)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 1);
        Length = length;
        if (BitOperations.IsPow2(length))
        {
            work = new Complex[length];
            return;
        }
        int m = (int)BitOperations.RoundUpToPowerOf2((uint)(2 * length - 1));
        chirp = new Complex[length];
        var b = new Complex[m];
        for (int n = 0; n < length; n++)
        {
            // The angle π n²/N reduced modulo 2π exactly in integers, so large n lose no precision.
            long r = (long)n * n % (2L * length);
            Complex w = Complex.FromPolarCoordinates(1.0, Math.PI * r / length);
            chirp[n] = Complex.Conjugate(w);
            b[n] = w;
            if (n > 0) b[m - n] = w;
        }
        Fourier.Forward(b, FourierOptions.Matlab);
        kernel = b;
        work = new Complex[m];
    }

    /// <summary>The transform length N.</summary>
    public int Length { get; }

    /// <summary>Forward transform of <paramref name="data"/> (length N) in place.</summary>
    public void Forward(Span<Complex> data) => Transform(data, inverse: false);

    /// <summary>Inverse transform (scaled by 1/N) of <paramref name="data"/> (length N) in place.</summary>
    public void Inverse(Span<Complex> data) => Transform(data, inverse: true);

    private void Transform(Span<Complex> data, bool inverse)
    {
        if (data.Length != Length) throw new ArgumentException($"The plan is for length {Length}, got {data.Length}.", nameof(data));
        if (chirp is null)
        {
            data.CopyTo(work);
            if (inverse) Fourier.Inverse(work, FourierOptions.Matlab); else Fourier.Forward(work, FourierOptions.Matlab);
            work.AsSpan().CopyTo(data);
            return;
        }
        // The inverse is conj(DFT(conj(x)))/N.
        int n = Length, m = work.Length;
        for (int i = 0; i < n; i++) work[i] = (inverse ? Complex.Conjugate(data[i]) : data[i]) * chirp[i];
        work.AsSpan(n, m - n).Clear();
        Fourier.Forward(work, FourierOptions.Matlab);
        for (int i = 0; i < m; i++) work[i] *= kernel![i];
        Fourier.Inverse(work, FourierOptions.Matlab);
        for (int k = 0; k < n; k++)
        {
            Complex x = work[k] * chirp[k];
            data[k] = inverse ? Complex.Conjugate(x) / n : x;
        }
    }
}
