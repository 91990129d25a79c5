namespace ImageReducer.Cli.Inspection;

/// <summary>One HDU: type, name, BITPIX, axes, card count and checksum status (<c>ok</c>, <c>bad</c>, <c>absent</c>).</summary>
internal sealed record HduSummary(int Index, string Type, string? ExtName, int Bitpix, IReadOnlyList<long> Axes, int Cards, string Checksum, string? ChecksumError);
