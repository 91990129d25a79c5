namespace ImageReducer.Engine.Errors;

/// <summary>
/// The one base of ImageReducer's own errors (engine, workflow, hosts). It carries the <see cref="ErrorClass"/> that
/// decides what a host does with it and a <see cref="ErrorCode"/> that says what went wrong in one word (the FITS
/// error category, the limit exceeded…); the message says what, where and why.
/// </summary>
/// <remarks>Hosts never list exception types: they ask <see cref="ErrorClass"/> (see <see cref="ErrorInfo"/>).</remarks>
public abstract class ImageReducerException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="errorClass">Who has to act.</param>
    /// <param name="errorCode">What went wrong, one word (see <see cref="ErrorCodes"/> and docs/errors.md).</param>
    /// <param name="message">What, where and why.</param>
    /// <param name="innerException">The cause, when there is one.</param>
    protected ImageReducerException(ErrorClass errorClass, string errorCode, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(errorCode);
        ErrorClass = errorClass;
        ErrorCode = errorCode;
    }

    /// <summary>Who has to act for a run to succeed.</summary>
    public ErrorClass ErrorClass { get; }

    /// <summary>What went wrong, one word: a FITS error category (<c>Truncated</c>), a limit (<c>MaxTiles</c>)…</summary>
    public string ErrorCode { get; }
}
