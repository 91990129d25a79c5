using System.Text.Json.Serialization;

namespace ImageReducer.Workflow.Api;

/// <summary>An RFC 9457 problem body (<c>application/problem+json</c>) of the API, with per-field errors.</summary>
/// <param name="Title">Short summary.</param>
/// <param name="Status">HTTP status.</param>
/// <param name="Detail">What to fix.</param>
/// <param name="Errors">Field → messages.</param>
public sealed record Problem(string? Title, int Status, string? Detail, IReadOnlyDictionary<string, string[]>? Errors = null)
{
    /// <summary>The problem type URI (written first, as RFC 9457 lists it).</summary>
    [JsonPropertyOrder(-1)]
    public string Type => $"https://httpstatuses.io/{Status}";
}
