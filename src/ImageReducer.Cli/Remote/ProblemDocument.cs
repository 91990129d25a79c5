namespace ImageReducer.Cli.Remote;

/// <summary>An <c>application/problem+json</c> body of the API (RFC 9457) with per-field errors.</summary>
/// <param name="Type">Problem type URI.</param>
/// <param name="Title">Short summary.</param>
/// <param name="Status">HTTP status.</param>
/// <param name="Detail">What to fix.</param>
/// <param name="Errors">Field → messages.</param>
internal sealed record ProblemDocument(string? Type, string? Title, int? Status, string? Detail, Dictionary<string, string[]>? Errors);
