namespace ImageReducer.Engine.Mapping.Mappers;

/// <summary>How <see cref="ConvolveMapper"/> convolves.</summary>
public enum ConvolutionMethod
{
    /// <summary>Direct separable convolution for small kernels, FFT for large ones.</summary>
    Auto,

    /// <summary>Direct separable convolution (two 1-D passes).</summary>
    Direct,

    /// <summary>2-D FFT (MathNet.Numerics); falls back to direct when the input holds NaN or infinity.</summary>
    Fft,
}
