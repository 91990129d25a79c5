using System.Globalization;

namespace ImageReducer.Cli.Remote;

/// <summary>Durations on the command line: <c>500ms</c>, <c>30s</c>, <c>5m</c>, <c>2h</c>, <c>1d</c>, or a plain number of seconds.</summary>
internal static class Durations
{
    /// <summary>The longest duration accepted (a CancellationTokenSource cannot wait much longer than 24 days).</summary>
    public static readonly TimeSpan Max = TimeSpan.FromDays(7);

    /// <summary>Parses <paramref name="text"/>; false when it is not a positive duration up to <see cref="Max"/>.</summary>
    public static bool TryParse(string text, out TimeSpan value)
    {
        value = default;
        string t = text.Trim().ToLowerInvariant();
        (string number, double unitSeconds) = t switch
        {
            _ when t.EndsWith("ms", StringComparison.Ordinal) => (t[..^2], 0.001),
            _ when t.EndsWith('s') => (t[..^1], 1.0),
            _ when t.EndsWith('m') => (t[..^1], 60.0),
            _ when t.EndsWith('h') => (t[..^1], 3600.0),
            _ when t.EndsWith('d') => (t[..^1], 86400.0),
            _ => (t, 1.0),
        };
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out double amount) || !double.IsFinite(amount) || amount <= 0)
            return false;
        double seconds = amount * unitSeconds;
        if (seconds > Max.TotalSeconds) return false;
        value = TimeSpan.FromSeconds(seconds);
        return true;
    }

    /// <summary>A duration as the options spell it (<c>250ms</c>, <c>2s</c>, <c>1.5m</c>, <c>24h</c>).</summary>
    public static string Format(TimeSpan value) => value.TotalSeconds switch
    {
        < 1 => string.Create(CultureInfo.InvariantCulture, $"{value.TotalMilliseconds:0}ms"),
        < 60 => string.Create(CultureInfo.InvariantCulture, $"{value.TotalSeconds:0.##}s"),
        < 3600 => string.Create(CultureInfo.InvariantCulture, $"{value.TotalMinutes:0.##}m"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{value.TotalHours:0.##}h"),
    };
}
