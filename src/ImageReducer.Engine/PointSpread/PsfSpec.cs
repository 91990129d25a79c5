using System.Globalization;
using ImageReducer.Engine.Config;
using ImageReducer.Engine.Fits;
using ImageReducer.Engine.Imaging;

namespace ImageReducer.Engine.PointSpread;

/// <summary>
/// A PSF given by the caller instead of the one stored in the input (or for an input without one), as text — the one
/// syntax of <c>imred run --psf</c>, the tiled and <c>az://</c> runs, the HTTP body's <c>psf</c> and a night's:
/// <c>gaussian:sigma=2.0[,width=11,height=11]</c>, <c>double-gaussian:sigma1=2.0[,sigma2=3.7,b=0,width=11,height=11]</c> or
/// <c>kernel:SOURCE</c> (a PSF/exposure FITS file or blob, read by the host: <see cref="Create"/>).
/// </summary>
/// <remarks>
/// Parsing checks everything but the kernel's contents, so a bad spec is refused before any work starts
/// (<see cref="ConfigValidationException"/>, field <c>psf</c>, class caller). <see cref="Create"/> is deterministic: the same
/// spec gives the same kernel everywhere, which is what makes a tiled run byte-identical to the in-process one.
/// </remarks>
public sealed class PsfSpec
{
    /// <summary>Shown in help and in error messages.</summary>
    public const string Syntax = "gaussian:sigma=S[,width=W,height=H] | double-gaussian:sigma1=S1[,sigma2=S2,b=B,width=W,height=H] | kernel:PATH.fits";

    /// <summary>The JSON field and setting name of a PSF spec.</summary>
    public const string Field = "psf";

    private readonly Func<Func<string, Psf>, Psf> create;

    private PsfSpec(string text, string? kernelSource, Func<Func<string, Psf>, Psf> create)
    {
        Text = text;
        KernelSource = kernelSource;
        this.create = create;
    }

    /// <summary>The spec as given (trimmed).</summary>
    public string Text { get; }

    /// <summary>The file or blob of a <c>kernel:</c> spec; null for the analytic kinds.</summary>
    public string? KernelSource { get; }

    /// <summary>The PSF; <paramref name="loadKernel"/> reads <see cref="KernelSource"/> of a <c>kernel:</c> spec.</summary>
    public Psf Create(Func<string, Psf> loadKernel)
    {
        ArgumentNullException.ThrowIfNull(loadKernel);
        return create(loadKernel);
    }

    /// <summary>Parses <paramref name="spec"/>.</summary>
    /// <exception cref="ConfigValidationException">The spec is malformed; the message quotes it and says why.</exception>
    public static PsfSpec Parse(string spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        spec = spec.Trim();
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
                Checked(spec, () => new GaussianPsf(w, h, sigma));
                return new PsfSpec(spec, null, _ => new GaussianPsf(w, h, sigma));
            }
            case "double-gaussian":
            {
                var p = Parameters(spec, rest, "sigma1", "sigma2", "b", "width", "height");
                double sigma1 = Required(spec, p, "sigma1");
                double sigma2 = p.TryGetValue("sigma2", out double s2) ? Positive(spec, "sigma2", s2) : 0;
                double b = p.GetValueOrDefault("b", 0);
                if (b < 0) throw Error(spec, $"b must be >= 0, got {b.ToString(CultureInfo.InvariantCulture)}");
                var (w, h) = Size(spec, p, Math.Max(sigma1, sigma2));
                Checked(spec, () => new DoubleGaussianPsf(w, h, sigma1, sigma2, b));
                return new PsfSpec(spec, null, _ => new DoubleGaussianPsf(w, h, sigma1, sigma2, b));
            }
            case "kernel":
                if (string.IsNullOrWhiteSpace(rest)) throw Error(spec, "kernel: needs a FITS file path");
                string source = rest.Trim();
                return new PsfSpec(spec, source, load => load(source));
            default:
                throw Error(spec, $"unknown PSF kind '{kind}'");
        }
    }

    /// <summary>
    /// The PSF of a <c>kernel:</c> source: the PSF of a PSF or exposure file when it has one, else the file's first
    /// two-dimensional image taken as a kernel image.
    /// </summary>
    /// <exception cref="FitsFormatException">Neither a PSF nor a usable 2-D image (<see cref="FitsErrors.InvalidPsf"/>).</exception>
    public static Psf ReadKernel(FitsReader reader, string source)
    {
        ArgumentNullException.ThrowIfNull(reader);
        if (PsfFits.TryRead(reader) is { } psf) return psf;
        FitsHdu hdu = reader.Hdus.FirstOrDefault(h => h.IsImage2D && h.Width > 0 && h.Height > 0)
            ?? throw FitsErrors.InvalidPsf(source, 0, $"kernel:{source}: the file holds neither a PSF extension nor a 2-D image");
        using Image<double> kernel = reader.ReadImage<double>(hdu);
        try
        {
            return new KernelImagePsf(kernel);
        }
        catch (ArgumentException e)
        {
            throw FitsErrors.InvalidPsf(source, hdu.Index, $"kernel:{source}: HDU {hdu.Index} is not a usable kernel ({e.Message.Split(" (Parameter")[0]})", e);
        }
    }

    /// <summary>The default kernel side for a Gaussian of <paramref name="sigma"/>: odd, at least 11 (the reference's 11×11 for σ = 2), ±2.5σ.</summary>
    public static int DefaultKernelSize(double sigma) => Math.Max(11, 2 * (int)Math.Ceiling(2.5 * sigma) + 1);

    /// <inheritdoc/>
    public override string ToString() => Text;

    private static (int Width, int Height) Size(string spec, Dictionary<string, double> p, double sigma) =>
        (Integer(spec, p, "width", DefaultKernelSize(sigma)), Integer(spec, p, "height", DefaultKernelSize(sigma)));

    // Built once while parsing, so an impossible kernel is a parse error, not a failure halfway through a run.
    private static Psf Checked(string spec, Func<Psf> create)
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

    private static ConfigValidationException Error(string spec, string why) => new(Field, $"'{spec}': {why} (syntax: {Syntax})");
}
