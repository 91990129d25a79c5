using ImageReducer.Engine.Fits;

namespace ImageReducer.TestSupport;

/// <summary>One file of <see cref="MalformedFitsCorpus"/>: how to build its bytes and what reading it must do.</summary>
/// <remarks>
/// The corpus keeps only recipes, not file contents: <see cref="CreateBytes"/> builds a fresh array on
/// each call (a few tens of KB), so holding the whole corpus costs little memory. Immutable, thread-safe.
/// </remarks>
public sealed class MalformedFitsVariant
{
    private readonly Func<byte[]> build;

    internal MalformedFitsVariant(string name, string seed, Func<byte[]> build, FitsErrorCategory? expected, int? hdu, string? keyword,
        bool hasPsf, string description)
    {
        Name = name;
        Seed = seed;
        this.build = build;
        Expected = expected;
        Hdu = hdu;
        Keyword = keyword;
        HasPsf = hasPsf;
        Description = description;
    }

    /// <summary>Unique, readable, path-like name (<c>seed/group/detail</c>, e.g. <c>lsst/truncate/hdu2-data-half</c>).</summary>
    public string Name { get; }

    /// <summary>The valid seed file it derives from (<c>lsst</c>, <c>hst</c>, <c>plain</c>, <c>scaled16</c>, or <c>none</c>).</summary>
    public string Seed { get; }

    /// <summary>The error category reading must report, or null when the file is still readable.</summary>
    public FitsErrorCategory? Expected { get; }

    /// <summary>The HDU the error must name (<see cref="FitsException.HduIndex"/>), or null when the error concerns the whole file.</summary>
    public int? Hdu { get; }

    /// <summary>The keyword the error must name (<see cref="FitsFormatException.Keyword"/>), or null when no single card is at fault.</summary>
    public string? Keyword { get; }

    /// <summary>The seed holds a PSF extension: the Reduce path also reads it with <see cref="PsfFits"/>.</summary>
    public bool HasPsf { get; }

    /// <summary>What was done to the seed.</summary>
    public string Description { get; }

    /// <summary>True when the file must read successfully (the damage is tolerated, e.g. missing trailing padding).</summary>
    public bool IsReadable => Expected is null;

    /// <summary>The file name to read it under (errors must name it).</summary>
    public string FileName => Name.Replace('/', '_') + ".fits";

    /// <summary>The expected outcome as text: <c>Readable</c> or the category name.</summary>
    public string Outcome => Expected?.ToString() ?? "Readable";

    /// <summary>Builds the file's bytes (same bytes on every call; a new array the caller owns).</summary>
    public byte[] CreateBytes() => build();

    public override string ToString() => Name;
}
