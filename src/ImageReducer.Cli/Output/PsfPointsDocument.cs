namespace ImageReducer.Cli.Output;

/// <summary><c>imred psf --json</c>: <c>{"points": [{"x", "y", "bbox", "kernel": [[row minY…], …]}]}</c>.</summary>
internal sealed record PsfPointsDocument(IReadOnlyList<PsfPointEntry> Points);
