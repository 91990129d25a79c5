using ImageReducer.Engine.Errors;

namespace ImageReducer.Workflow.Reduction;

/// <summary>
/// The one bound on error and warning texts that travel in Durable payloads (plan, tile and reduce results, an exposure's
/// output and custom status, night report lines): an exception message can be as long as what it quotes, and one long
/// message must not push a payload past <see cref="Nights.NightLimits.MaxPayloadBytes"/>. The full text stays in the logs.
/// </summary>
public static class ErrorText
{
    /// <summary>Longest error text kept (characters); a longer one is cut with a note of how much was cut.</summary>
    public const int MaxChars = 1000;

    /// <summary>Most input warnings a plan summary carries; the rest are counted in a last line.</summary>
    public const int MaxWarnings = 8;

    /// <summary><paramref name="text"/> cut to <see cref="MaxChars"/> characters (null stays null).</summary>
    public static string? Cap(string? text) =>
        text is null || text.Length <= MaxChars
            ? text
            : string.Concat(text.AsSpan(0, MaxChars), $"… ({text.Length - MaxChars} more characters)");

    /// <summary><paramref name="error"/> with its message cut to <see cref="MaxChars"/>.</summary>
    public static ErrorInfo Cap(ErrorInfo error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return error.Message.Length <= MaxChars ? error : error with { Message = Cap(error.Message)! };
    }

    /// <summary>At most <see cref="MaxWarnings"/> warnings, each capped, and a count of those left out.</summary>
    public static string[] Cap(string[] warnings)
    {
        ArgumentNullException.ThrowIfNull(warnings);
        if (warnings.Length <= MaxWarnings && warnings.All(w => w.Length <= MaxChars)) return warnings;
        IEnumerable<string> kept = warnings.Take(MaxWarnings).Select(w => Cap(w)!);
        return warnings.Length <= MaxWarnings ? [.. kept] : [.. kept, $"… and {warnings.Length - MaxWarnings} more warnings (see the run's metadata)"];
    }
}
