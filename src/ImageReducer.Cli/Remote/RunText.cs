using System.Globalization;

namespace ImageReducer.Cli.Remote;

/// <summary>The text form of a <see cref="RemoteRun"/>: one <c>label  value</c> line per known fact.</summary>
internal static class RunText
{
    /// <summary>Writes <paramref name="run"/> to <paramref name="output"/>; <paramref name="follow"/> is the command that follows it.</summary>
    public static void Write(TextWriter output, RemoteRun run, string follow)
    {
        Line(output, "id", run.Id);
        Line(output, "status", Status(run));
        if (run.Output is not null) Line(output, "output", run.Output + Sizes(run));
        if (run.Error is not null) Line(output, "error", run.Error);
        if (run.CreatedAt is { } created) Line(output, "created", Time(created));
        if (run.LastUpdatedAt is { } updated) Line(output, "updated", Time(updated) + Elapsed(run));
        Line(output, "url", run.StatusUrl);
        if (!run.HasEnded) Line(output, "follow", follow);
    }

    private static string Status(RemoteRun run)
    {
        string text = run.Outcome == RemoteRun.Running ? run.RuntimeStatus : $"{run.Outcome} ({run.RuntimeStatus})";
        if (run.Outcome != RemoteRun.Running || run.Phase is null) return text;
        return run.Total > 0
            ? string.Create(CultureInfo.InvariantCulture, $"{text}: {run.Phase} {run.Done}/{run.Total} {(run.Phase == "mapping" ? "tiles" : "exposures")}")
            : $"{text}: {run.Phase}";
    }

    private static string Sizes(RemoteRun run)
    {
        var parts = new List<string>();
        if (run.OutputBytes is long bytes) parts.Add(Bytes(bytes));
        if (run.Tiles is long tiles) parts.Add(string.Create(CultureInfo.InvariantCulture, $"{tiles} tiles"));
        if (run.Cells is long cells) parts.Add(string.Create(CultureInfo.InvariantCulture, $"{cells} cells"));
        return parts.Count == 0 ? "" : $" ({string.Join(", ", parts)})";
    }

    private static string Elapsed(RemoteRun run) =>
        run.HasEnded && run.CreatedAt is { } c && run.LastUpdatedAt is { } u && u >= c
            ? string.Create(CultureInfo.InvariantCulture, $" ({(u - c).TotalSeconds:0.0} s after created)")
            : "";

    private static string Bytes(long bytes) => bytes switch
    {
        < 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes} B"),
        < 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.0} KiB"),
        < 1024L * 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024):0.0} MiB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024 * 1024):0.00} GiB"),
    };

    private static string Time(DateTimeOffset t) => t.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static void Line(TextWriter output, string label, string value) => output.WriteLine($"{label,-8}{value}");
}
