using ImageReducer.Engine.Errors;

namespace ImageReducer.Engine.Fits;

/// <summary>
/// The common base of every FITS error: names the file and the HDU where it happened. The input is bad
/// (<see cref="ErrorClass.BadInput"/>); the code is the error category (docs/errors.md).
/// </summary>
public abstract class FitsException : ImageReducerException
{
    /// <summary>Creates an exception for <paramref name="file"/> (null for an unnamed stream) and HDU <paramref name="hduIndex"/>.</summary>
    protected FitsException(FitsErrorCategory category, string message, string? file, int? hduIndex, Exception? inner = null)
        : base(ErrorClass.BadInput, category.ToString(), message, inner)
    {
        File = file;
        HduIndex = hduIndex;
    }

    /// <summary>The file name, or null when reading an unnamed stream.</summary>
    public string? File { get; }

    /// <summary>The 0-based HDU index (0 = primary), or null when the error is not tied to one HDU.</summary>
    public int? HduIndex { get; }
}
