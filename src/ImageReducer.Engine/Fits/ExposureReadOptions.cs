using ImageReducer.Engine.Imaging;

namespace ImageReducer.Engine.Fits;

/// <summary>Options of <see cref="ExposureFits.Read(string, ExposureReadOptions?)"/>.</summary>
public sealed record ExposureReadOptions
{
    private readonly int extensionVersion = 1;

    /// <summary>Defaults: detect the layout, EXTVER 1, whole exposure, no noise model.</summary>
    public static ExposureReadOptions Default { get; } = new();

    /// <summary>The layout to read; <see cref="ExposureFormat.Auto"/> detects it. A named layout the file does not match is an error.</summary>
    public ExposureFormat Format { get; init; } = ExposureFormat.Auto;

    /// <summary>Which EXTVER of SCI/ERR/DQ/VAR to read in multi-chip HST/Gemini files (≥ 1).</summary>
    public int ExtensionVersion
    {
        get => extensionVersion;
        init => extensionVersion = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(ExtensionVersion), $"ExtensionVersion must be >= 1, got {value}");
    }

    /// <summary>For a file without a variance plane (Plain): variance from this model; null gives variance 0.</summary>
    public NoiseModel? Noise { get; init; }

    /// <summary>Read only this box (parent coordinates, inside the exposure); null reads everything. Checksums are verified only for whole planes.</summary>
    public Box? Region { get; init; }

    /// <summary>Low-level FITS options (limits, leniency, checksum verification).</summary>
    public FitsReadOptions Fits { get; init; } = FitsReadOptions.Default;
}
