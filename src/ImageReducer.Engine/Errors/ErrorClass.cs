using System.Text.Json;
using System.Text.Json.Serialization;

namespace ImageReducer.Engine.Errors;

/// <summary>
/// Who has to act for a failed run to succeed. Every <see cref="ImageReducerException"/> has one; each host maps
/// it once (the CLI to its exit code, the HTTP API to a status, the workflow to a failure record, a retry or the
/// quarantine). docs/errors.md lists the classes and their codes.
/// </summary>
[JsonConverter(typeof(ErrorClassJsonConverter))]
public enum ErrorClass
{
    /// <summary>
    /// The caller's own request or settings: a configuration value out of range, a tile size that cuts the exposure into
    /// more tiles than allowed, a grid of too many cells, a reduce operation that does not fit the mapper. The input is
    /// fine: fix the request. Exit code 2, HTTP 400, never quarantined.
    /// </summary>
    Caller,

    /// <summary>
    /// The input itself is bad: not FITS, truncated, a malformed card, a checksum that fails. Exit code 3, HTTP 422,
    /// quarantined by the workflow.
    /// </summary>
    BadInput,

    /// <summary>
    /// The input is valid but this run cannot use it: no PSF where the grid needs one, a PSF that cannot be evaluated,
    /// an unknown mask plane, more pixels than the deployment accepts. Exit code 3, HTTP 422, not quarantined.
    /// </summary>
    UnsuitableInput,

    /// <summary>A named file or blob does not exist. Exit code 3, HTTP 404, not quarantined.</summary>
    NotFound,

    /// <summary>
    /// The stored state changed under the run: the input was replaced after planning, staged blocks were dropped, a blob
    /// that must not be overwritten exists. A new run may succeed. Exit code 4, HTTP 409, not quarantined.
    /// </summary>
    Conflict,

    /// <summary>
    /// A service the run depends on failed (storage, the remote API): retrying later may succeed. The workflow lets its
    /// retry policy handle it. Exit code 4, HTTP 503.
    /// </summary>
    Unavailable,

    /// <summary>An inconsistency in the run's own state or code (a defect, or tampered work blobs). Exit code 1, HTTP 500.</summary>
    Internal,
}

/// <summary>Writes <see cref="ErrorClass"/> as its camelCase name (<c>badInput</c>) whatever the serializer's options.</summary>
public sealed class ErrorClassJsonConverter() : JsonStringEnumConverter<ErrorClass>(JsonNamingPolicy.CamelCase, allowIntegerValues: false);
