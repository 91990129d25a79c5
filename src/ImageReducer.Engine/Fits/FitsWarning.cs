namespace ImageReducer.Engine.Fits;

/// <summary>
/// A finding that does not stop the reader: the file is read, and the finding is reported with the
/// same "<c>file: HDU n, card k (KEYWORD): what</c>" wording as a <see cref="FitsFormatException"/>.
/// </summary>
/// <remarks>
/// Which findings warn and which reject follows fitsverify's verdict (docs/errors.md, "Strictness"):
/// what fitsverify calls an error is a <see cref="FitsFormatException"/>; what it calls a warning is a
/// <see cref="FitsWarning"/>.
/// </remarks>
/// <param name="Message">The whole message, place first.</param>
/// <param name="File">The file name given to the reader, or null.</param>
/// <param name="HduIndex">The HDU (0 = primary).</param>
/// <param name="CardIndex">The 0-based card index in its header.</param>
/// <param name="Keyword">The keyword of the card.</param>
public sealed record FitsWarning(string Message, string? File, int? HduIndex, int? CardIndex, string? Keyword)
{
    /// <inheritdoc />
    public override string ToString() => Message;
}
