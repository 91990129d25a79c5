namespace ImageReducer.Workflow.Reduction;

/// <summary>
/// A domain error as failure records and the quarantine carry it: the exception's type, a code that
/// classifies it further (the FITS error category, or the workflow limit exceeded) and its message.
/// </summary>
/// <param name="ErrorClass">The exception type's name, e.g. <c>FitsFormatException</c>.</param>
/// <param name="ErrorCode">The FITS category (<c>Truncated</c>, <c>BadBitpix</c>…) or the limit (<c>MaxPixels</c>…); null when the type says all.</param>
/// <param name="Message">The exception's message (names the file and, for FITS errors, the HDU and card).</param>
public sealed record DomainError(string ErrorClass, string? ErrorCode, string Message)
{
    /// <summary>The record of <paramref name="e"/>.</summary>
    public static DomainError Of(Exception e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return new(e.GetType().Name, DomainErrors.Code(e), e.Message);
    }

    /// <summary>True when the input itself is at fault (not valid FITS, not a usable exposure): it belongs in quarantine.</summary>
    public bool IsBadInput => ErrorClass is nameof(Engine.Fits.FitsFormatException) or nameof(Engine.Fits.FitsException);

    /// <summary>One line: <c>Class (Code): message</c>, or <c>Class: message</c> without a code.</summary>
    public override string ToString() => ErrorCode is null ? $"{ErrorClass}: {Message}" : $"{ErrorClass} ({ErrorCode}): {Message}";
}
