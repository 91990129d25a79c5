namespace ImageReducer.Engine.Fits;

/// <summary>The common base of every FITS error: names the file and the HDU where it happened.</summary>
public class FitsException : IOException
{
    /// <summary>Creates an exception for <paramref name="file"/> (null for an unnamed stream) and HDU <paramref name="hduIndex"/>.</summary>
    public FitsException(string message, string? file, int? hduIndex, Exception? inner = null) : base(message, inner)
    {
        File = file;
        HduIndex = hduIndex;
    }

    /// <summary>The file name, or null when reading an unnamed stream.</summary>
    public string? File { get; }

    /// <summary>The 0-based HDU index (0 = primary), or null when the error is not tied to one HDU.</summary>
    public int? HduIndex { get; }
}
