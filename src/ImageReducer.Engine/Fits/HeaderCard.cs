namespace ImageReducer.Engine.Fits;

/// <summary>
/// One FITS header card as data: keyword, typed value and comment.
/// </summary>
/// <remarks>
/// <see cref="Value"/> is a <see cref="string"/>, <see cref="bool"/>, <see cref="long"/>,
/// <see cref="double"/>, or null (a keyword with an undefined value, or a commentary card such as
/// <c>COMMENT</c>/<c>HISTORY</c>/blank, whose text is in <see cref="Comment"/>). Keywords longer
/// than 8 characters or containing other than <c>A-Z 0-9 - _</c> are written with the
/// <c>HIERARCH</c> convention.
/// </remarks>
public sealed record HeaderCard(string Keyword, object? Value, string? Comment = null)
{
    /// <summary>True for COMMENT, HISTORY and blank-keyword cards, which carry text, not a value.</summary>
    public bool IsCommentary => Keyword is "COMMENT" or "HISTORY" or "";

    public override string ToString() => IsCommentary ? $"{Keyword} {Comment}" : $"{Keyword} = {Value} / {Comment}";
}
