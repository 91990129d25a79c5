namespace ImageReducer.Workflow.Nights;

/// <summary>A night's auxiliary pattern breaks <see cref="NightAuxiliary"/>'s rules: which field, and why.</summary>
public sealed class AuxiliaryPatternException(string field, string reason) : ArgumentException($"{field}: {reason}")
{
    /// <summary>The request field, <c>auxiliary.NAME</c>.</summary>
    public string Field { get; } = field;

    /// <summary>Why, without the field.</summary>
    public string Reason { get; } = reason;
}
