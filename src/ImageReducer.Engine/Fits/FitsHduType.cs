namespace ImageReducer.Engine.Fits;

/// <summary>The kind of an HDU, from SIMPLE / XTENSION.</summary>
public enum FitsHduType
{
    /// <summary>The primary HDU (an image, possibly empty).</summary>
    Primary,
    /// <summary><c>XTENSION = 'IMAGE'</c>.</summary>
    Image,
    /// <summary><c>XTENSION = 'BINTABLE'</c>.</summary>
    BinaryTable,
    /// <summary><c>XTENSION = 'TABLE'</c> (ASCII table; its data are skipped, not interpreted).</summary>
    AsciiTable,
    /// <summary>Any other extension type (skipped using PCOUNT/GCOUNT).</summary>
    Other,
}
