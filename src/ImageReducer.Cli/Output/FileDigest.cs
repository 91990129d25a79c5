namespace ImageReducer.Cli.Output;

/// <summary>An input file: path as given, absolute path, SHA-256, and the FITS layout it was read with.</summary>
internal sealed record FileDigest(string Path, string Sha256, string? Layout = null)
{
    /// <summary>What the FITS reader tolerated in the input (docs/errors.md, "Strictness"); omitted when none.</summary>
    public IReadOnlyList<string>? Warnings { get; init; }
}
