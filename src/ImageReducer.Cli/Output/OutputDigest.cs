namespace ImageReducer.Cli.Output;

/// <summary>An output file and what it holds (<c>exposure</c>, <c>results</c>, <c>psf</c>).</summary>
internal sealed record OutputDigest(string Path, string Sha256, string Kind);
