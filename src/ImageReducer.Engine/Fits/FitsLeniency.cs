namespace ImageReducer.Engine.Fits;

/// <summary>How the reader treats findings that do not stop it from locating the data.</summary>
public enum FitsLeniency
{
    /// <summary>
    /// Default. Cards whose value cannot be parsed are kept raw (and written back verbatim); bytes after
    /// the last HDU that are not an extension are ignored; keyword case is not enforced. Structural
    /// problems (sizes, BITPIX, END, checksums) are still errors.
    /// </summary>
    Lenient,
    /// <summary>Every card must parse and nothing may follow the last HDU.</summary>
    Strict,
}
