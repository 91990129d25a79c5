namespace ImageReducer.Engine.Fits;

/// <summary>What a card's value field holds.</summary>
public enum FitsValueKind
{
    /// <summary>A commentary card (COMMENT, HISTORY, blank keyword, or any card without <c>= </c>): text only.</summary>
    Commentary,
    /// <summary>A value card whose value field is empty: the value is undefined.</summary>
    Undefined,
    /// <summary>A character string (quotes removed, doubled quotes undone, CONTINUE parts joined).</summary>
    String,
    /// <summary>T or F.</summary>
    Logical,
    /// <summary>An integer that fits in 64 bits.</summary>
    Integer,
    /// <summary>A floating-point number (E or D exponent), or an integer too large for 64 bits.</summary>
    Real,
    /// <summary>
    /// A value the parser does not convert: a valid complex number (kept raw and written back verbatim), or
    /// a value field that breaks the syntax (<see cref="FitsCard.HasValueSyntaxError"/>), which the reader rejects.
    /// </summary>
    Unparsed,
    /// <summary>The END card.</summary>
    End,
}
