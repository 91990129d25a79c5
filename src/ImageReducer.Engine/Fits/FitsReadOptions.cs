namespace ImageReducer.Engine.Fits;

/// <summary>Limits and policy for reading FITS. Validated on set; immutable.</summary>
/// <remarks>The limits bound what hostile input can make the reader allocate or loop over.</remarks>
public sealed record FitsReadOptions
{
    private readonly long maxDataBytes = 16L << 30;
    private readonly long maxHeaderBytes = 32L << 20;
    private readonly int maxHdus = 10_000;

    /// <summary>Defaults: 16 GiB data units, 32 MiB headers, 10 000 HDUs, lenient, checksums verified.</summary>
    public static FitsReadOptions Default { get; } = new();

    /// <summary>Largest data unit we agree to read or allocate, in bytes (&gt; 0).</summary>
    public long MaxDataBytes
    {
        get => maxDataBytes;
        init => maxDataBytes = value > 0 ? value : throw new ArgumentOutOfRangeException(nameof(MaxDataBytes), $"MaxDataBytes must be > 0, got {value}");
    }

    /// <summary>Largest header, in bytes, before the reader gives up looking for END (at least one 2880-byte block).</summary>
    public long MaxHeaderBytes
    {
        get => maxHeaderBytes;
        init => maxHeaderBytes = value >= FitsConstants.BlockSize ? value : throw new ArgumentOutOfRangeException(nameof(MaxHeaderBytes), $"MaxHeaderBytes must be >= {FitsConstants.BlockSize}, got {value}");
    }

    /// <summary>Largest number of HDUs in one file (&gt; 0).</summary>
    public int MaxHdus
    {
        get => maxHdus;
        init => maxHdus = value > 0 ? value : throw new ArgumentOutOfRangeException(nameof(MaxHdus), $"MaxHdus must be > 0, got {value}");
    }

    /// <summary>Lenient (default) or strict card and trailer handling.</summary>
    public FitsLeniency Leniency { get; init; } = FitsLeniency.Lenient;

    private readonly int maxDegreeOfParallelism = -1;

    /// <summary>
    /// Threads one whole-plane read from a local file may use (default −1: every core; 1: one). The
    /// plane is read in chunks with positional reads, each chunk swapped to native order and summed
    /// for the checksum by the thread that read it, so the first touch of the new plane's pages and the
    /// checksum run on all cores; the result does not depend on the number.
    /// </summary>
    public int MaxDegreeOfParallelism
    {
        get => maxDegreeOfParallelism;
        init => maxDegreeOfParallelism = value is -1 or >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(MaxDegreeOfParallelism), $"MaxDegreeOfParallelism must be -1 (all cores) or >= 1, got {value}");
    }

    /// <summary>Verify DATASUM/CHECKSUM, when present, whenever a whole data unit is read (default true).</summary>
    public bool VerifyChecksums { get; init; } = true;
}
