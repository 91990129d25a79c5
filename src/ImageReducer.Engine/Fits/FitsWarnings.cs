namespace ImageReducer.Engine.Fits;

/// <summary>Factory of every <see cref="FitsWarning"/>, worded like <see cref="FitsErrors"/>.</summary>
public static class FitsWarnings
{
    /// <summary><c>SIMPLE = F</c>: the file says it may not conform to the standard (fitsverify: a warning).</summary>
    public static FitsWarning SimpleFalse(string? file) =>
        Make("SIMPLE = F says the file may not conform to the FITS standard; it was read as standard FITS", file, 0, 0, "SIMPLE");

    /// <summary>A keyword with lower-case letters (fitsverify: an error; read here because the keyword is unambiguous).</summary>
    public static FitsWarning LowercaseKeyword(string? file, int hdu, int card, string keyword) =>
        Make($"keyword '{keyword}' is not upper case, as the standard requires; it was read as {keyword.ToUpperInvariant()}", file, hdu, card, keyword);

    private static FitsWarning Make(string what, string? file, int? hdu, int? card, string? keyword) =>
        new($"{FitsErrors.Where(file, hdu, card, keyword)}: {what}", file, hdu, card, keyword);
}
