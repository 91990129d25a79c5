namespace ImageReducer.Engine.Fits;

/// <summary>
/// CCD noise model for images without a variance plane: <c>variance = image / Gain + ReadNoise²</c>
/// (image in ADU, gain in e⁻/ADU, read noise in ADU).
/// </summary>
public sealed record NoiseModel
{
    /// <exception cref="ArgumentOutOfRangeException">Gain not positive and finite, or read noise negative or not finite.</exception>
    public NoiseModel(double gain, double readNoise)
    {
        if (!(gain > 0) || !double.IsFinite(gain)) throw new ArgumentOutOfRangeException(nameof(gain), $"gain must be > 0 and finite, got {gain}");
        if (!(readNoise >= 0) || !double.IsFinite(readNoise)) throw new ArgumentOutOfRangeException(nameof(readNoise), $"readNoise must be >= 0 and finite, got {readNoise}");
        (Gain, ReadNoise) = (gain, readNoise);
    }

    public double Gain { get; }
    public double ReadNoise { get; }

    /// <summary>The variance of a pixel of value <paramref name="image"/>.</summary>
    public float Variance(float image) => (float)(image / Gain + ReadNoise * ReadNoise);
}
