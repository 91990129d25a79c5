namespace ImageReducer.Engine.Fits;

/// <summary>How the reader treats findings that do not stop it from locating the data.</summary>
public enum FitsLeniency
{
    /// <summary>
    /// Default, following fitsverify's verdict (docs/errors.md, "Strictness"): a value field that breaks
    /// the standard's syntax (an unterminated string, a token that is no value) is an error; valid values
    /// the parser does not convert (complex numbers) are kept raw and written back verbatim;
    /// <c>SIMPLE = F</c> and lower-case keywords are read with a <see cref="FitsWarning"/>; zero or blank
    /// padding after the last HDU is ignored (any other trailing bytes are an error); a structural keyword
    /// repeated with the same value is tolerated. Structural problems (sizes, BITPIX, END, checksums) are
    /// errors.
    /// </summary>
    Lenient,
    /// <summary>
    /// Every card must parse and be upper case, <c>SIMPLE</c> must be T, no structural keyword may repeat,
    /// and nothing may follow the last HDU.
    /// </summary>
    Strict,
}
