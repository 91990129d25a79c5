namespace ImageReducer.Functions.Security;

/// <summary>
/// A blob address from outside the app (an HTTP body, an Event Grid event) was refused by the
/// <see cref="BlobAccessPolicy"/>; the message says which rule and why.
/// </summary>
/// <remarks>An <see cref="ArgumentException"/>, so code that reports invalid arguments per field reports it too.</remarks>
public sealed class BlobAccessRefusedException : ArgumentException
{
    private readonly string reason;

    /// <summary>Creates the exception with the refusal's reason.</summary>
    public BlobAccessRefusedException(string reason) : base(reason) => this.reason = reason;

    /// <summary>The reason alone (without a parameter suffix), for problem bodies and logs.</summary>
    public override string Message => reason;
}
