namespace ImageReducer.Cli.Inspection;

/// <summary>The PSF: kind, FWHM at its average position and that position.</summary>
internal sealed record PsfSummary(string Kind, double? Fwhm, double[] AveragePosition, string? Error);
