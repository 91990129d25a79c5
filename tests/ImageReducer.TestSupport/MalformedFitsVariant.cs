using ImageReducer.Engine.Fits;

namespace ImageReducer.TestSupport;

/// <summary>One file of <see cref="MalformedFitsCorpus"/>: its bytes and what reading it must do.</summary>
/// <param name="Name">Unique, readable, path-like name (<c>seed/group/detail</c>).</param>
/// <param name="Seed">The valid seed file it was derived from (<c>lsst</c>, <c>hst</c>, <c>plain</c>, <c>scaled16</c>, or <c>none</c>).</param>
/// <param name="Bytes">The file content (do not modify: shared by every caller).</param>
/// <param name="Expected">The error category reading must report, or null when the file is still readable.</param>
/// <param name="Hdu">The HDU the error must name (<see cref="FitsException.HduIndex"/>), or null when the error concerns the whole file.</param>
/// <param name="Keyword">The keyword the error must name, or null when no single card is at fault.</param>
/// <param name="HasPsf">The seed holds a PSF extension: the Reduce path also reads it with <see cref="PsfFits"/>.</param>
/// <param name="Description">What was done to the seed.</param>
public sealed record MalformedFitsVariant(
    string Name, string Seed, byte[] Bytes, FitsErrorCategory? Expected, int? Hdu, string? Keyword, bool HasPsf, string Description)
{
    /// <summary>True when the file must read successfully (the damage is tolerated, e.g. missing trailing padding).</summary>
    public bool IsReadable => Expected is null;

    /// <summary>The file name to read it under (errors must name it).</summary>
    public string FileName => Name.Replace('/', '_') + ".fits";

    /// <summary>The expected outcome as text: <c>Readable</c> or the category.</summary>
    public string Outcome => Expected?.ToString() ?? "Readable";

    public override string ToString() => Name;
}
