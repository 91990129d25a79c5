using ImageReducer.Engine.Errors;
using ImageReducer.Workflow.Storage;

namespace ImageReducer.Workflow.Durable;

/// <summary>The error JSON written beside a quarantined copy (<c>&lt;copy&gt;.error.json</c>).</summary>
/// <param name="Input">The rejected input, where it was uploaded.</param>
/// <param name="Copy">The quarantined copy.</param>
/// <param name="ErrorClass">Who has to act: always <see cref="Engine.Errors.ErrorClass.BadInput"/> for a quarantined input.</param>
/// <param name="ErrorCode">What is wrong, one word: the FITS error category (<c>Truncated</c>, <c>ChecksumMismatch</c>…).</param>
/// <param name="Message">The error's message (names the file, HDU and card).</param>
/// <param name="RunId">The run that rejected it, when planning got that far.</param>
/// <param name="Time">When it was quarantined (UTC).</param>
public sealed record QuarantineRecord(BlobPath Input, BlobPath Copy, ErrorClass ErrorClass, string ErrorCode, string Message, string? RunId, DateTimeOffset Time)
{
    /// <summary>The error JSON of a quarantined <paramref name="copy"/>.</summary>
    public static BlobPath PathOf(BlobPath copy)
    {
        ArgumentNullException.ThrowIfNull(copy);
        return new BlobPath(copy.Container, copy.Name + ".error.json");
    }
}
