using System.Globalization;
using ImageReducer.Cli.Errors;
using ImageReducer.Engine.PointSpread;

namespace ImageReducer.Cli.Config;

/// <summary>
/// Parses <c>--psf</c>: <c>gaussian:sigma=2.0[,width=11,height=11]</c>,
/// <c>double-gaussian:sigma1=2.0[,sigma2=3.7,b=0,width=11,height=11]</c> or <c>kernel:PATH.fits</c>.
/// </summary>
internal static class PsfSpecParser
{
    /// <summary>Shown in help and in error messages.</summary>
    public const string Syntax = "gaussian:sigma=S[,width=W,height=H] | double-gaussian:sigma1=S1[,sigma2=S2,b=B,width=W,height=H] | kernel:PATH.fits";

    /// <summary>Parses <paramref name="spec"/>; <paramref name="loadKernel"/> reads the file of a <c>kernel:</c> spec.</summary>
    /// <exception cref="UsageException">The spec is malformed; the message quotes it.</exception>
    public static Psf Parse(string spec, Func<FileInfo, Psf> loadKernel)
    {
        int colon = spec.IndexOf(':');
        if (colon <= 0) throw Error(spec, "expected KIND:PARAMETERS");
        string kind = spec[..colon].Trim().ToLowerInvariant();
        string rest = spec[(colon + 1)..];
        switch (kind)
        {
            case "gaussian":
            {
                var p = Parameters(spec, rest, "sigma", "width", "height");
                double sigma = Required(spec, p, "sigma");
                var (w, h) = Size(spec, p, sigma);
                return Create(spec, () => new GaussianPsf(w, h, sigma));
            }
            case "double-gaussian":
            {
                var p = Parameters(spec, rest, "sigma1", "sigma2", "b", "width", "height");
                double sigma1 = Required(spec, p, "sigma1");
                double sigma2 = p.TryGetValue("sigma2", out double s2) ? Positive(spec, "sigma2", s2) : 0;
                double b = p.GetValueOrDefault("b", 0);
                if (b < 0) throw Error(spec, $"b must be >= 0, got {b.ToString(CultureInfo.InvariantCulture)}");
                var (w, h) = Size(spec, p, Math.Max(sigma1, sigma2));
                return Create(spec, () => new DoubleGaussianPsf(w, h, sigma1, sigma2, b));
            }
            case "kernel":
                if (string.IsNullOrWhiteSpace(rest)) throw Error(spec, "kernel: needs a FITS file path");
                return loadKernel(new FileInfo(rest));
            default:
                throw Error(spec, $"unknown PSF kind '{kind}'");
        }
    }

    /// <summary>The default kernel side for a Gaussian of <paramref name="sigma"/>: odd, at least 11 (the reference's 11×11 for σ = 2), ±2.5σ.</summary>
    public static int DefaultKernelSize(double sigma) => Math.Max(11, 2 * (int)Math.Ceiling(2.5 * sigma) + 1);

    private static (int Width, int Height) Size(string spec, Dictionary<string, double> p, double sigma)
    {
        int w = Integer(spec, p, "width", DefaultKernelSize(sigma));
        int h = Integer(spec, p, "height", DefaultKernelSize(sigma));
        return (w, h);
    }

    private static Psf Create(string spec, Func<Psf> create)
    {
        try
        {
            return create();
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw Error(spec, e.Message.Split(" (Parameter")[0]);
        }
    }

    private static Dictionary<string, double> Parameters(string spec, string text, params string[] allowed)
    {
        var result = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (string part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            if (part.Length == 0) continue;
            int eq = part.IndexOf('=');
            if (eq <= 0) throw Error(spec, $"'{part}' is not NAME=VALUE");
            string name = part[..eq].Trim().ToLowerInvariant();
            if (!allowed.Contains(name)) throw Error(spec, $"unknown parameter '{name}' (allowed: {string.Join(", ", allowed)})");
            if (!double.TryParse(part[(eq + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value))
                throw Error(spec, $"{name} must be a number, got '{part[(eq + 1)..]}'");
            if (!result.TryAdd(name, value)) throw Error(spec, $"{name} is given twice");
        }
        return result;
    }

    private static double Required(string spec, Dictionary<string, double> p, string name) =>
        p.TryGetValue(name, out double v) ? Positive(spec, name, v) : throw Error(spec, $"{name} is required");

    private static double Positive(string spec, string name, double v) =>
        v > 0 ? v : throw Error(spec, $"{name} must be > 0, got {v.ToString(CultureInfo.InvariantCulture)}");

    private static int Integer(string spec, Dictionary<string, double> p, string name, int fallback)
    {
        if (!p.TryGetValue(name, out double v)) return fallback;
        if (v != Math.Floor(v) || v < 1 || v > 4095) throw Error(spec, $"{name} must be a whole number of pixels in 1..4095, got {v.ToString(CultureInfo.InvariantCulture)}");
        return (int)v;
    }

    private static UsageException Error(string spec, string why) => new($"--psf '{spec}': {why} (syntax: {Syntax})");
}
