namespace ImageReducer.Engine.Fits;

/// <summary>How the reader treats findings that do not stop it from locating the data.</summary>
public enum FitsLeniency
{
    /// <summary>
    /// Default. Cards whose value cannot be parsed are kept raw (and written back verbatim); zero or
    /// blank padding after the last HDU is ignored (any other trailing bytes are an error); keyword case
    /// is not enforced; a structural keyword repeated with the same value is tolerated. Structural
    /// problems (sizes, BITPIX, END, checksums) are still errors.
    /// </summary>
    Lenient,
    /// <summary>Every card must parse, no structural keyword may repeat, and nothing may follow the last HDU.</summary>
    Strict,
}
