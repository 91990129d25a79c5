namespace ImageReducer.Engine.Mapping.Spectral;

/// <summary>
/// The placements of arrays in a periodic FFT frame used by LSST's <c>ip_diffim</c> (rows first, as numpy shapes
/// are (rows, columns)), ported from the index arithmetic of <c>padCenterOriginArray</c>, <c>_padPsfToSize</c> and
/// <c>numpy.fft.ifftshift</c>.
/// </summary>
public static class CenterOrigin
{
    /// <summary>
    /// <c>padCenterOriginArray(A, (…n…))</c> along one axis: index <paramref name="i"/> of an axis of length
    /// <paramref name="h"/> goes to <c>(i − h/2) mod n</c> of the padded frame (element h/2 at the origin). The inverse
    /// (<c>useInverse=True</c>, cropping back to length h) reads the same index, so a round trip is the identity.
    /// </summary>
    public static int Pad(int i, int h, int n) => Mod(i - h / 2, n);

    /// <summary><c>_padPsfToSize(psf, (…n…))</c> of ZOGY along one axis: index i of length h goes to <c>i + n/2 − h/2</c>.</summary>
    public static int Centred(int i, int h, int n) => i + n / 2 - h / 2;

    /// <summary><c>numpy.fft.ifftshift</c> along one axis of length <paramref name="n"/>: output index i reads input (i + n/2) mod n.</summary>
    public static int IfftShift(int i, int n) => (i + n / 2) % n;

    /// <summary>
    /// <c>computeCommonShape(*shapes)</c> of one axis: the sum of the two largest sizes minus one (the size itself when
    /// only one is given), rounded up to even.
    /// </summary>
    public static int CommonSize(params ReadOnlySpan<int> sizes)
    {
        if (sizes.Length == 0) throw new ArgumentException("At least one size is needed.", nameof(sizes));
        int first = 0, second = 0;
        foreach (int s in sizes)
        {
            if (s > first) (first, second) = (s, first);
            else if (s > second) second = s;
        }
        int n = sizes.Length > 1 ? first + second - 1 : first;
        return n % 2 == 0 ? n : n + 1;
    }

    private static int Mod(int a, int n) => ((a % n) + n) % n;
}
