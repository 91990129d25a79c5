using System.Collections;
using ImageReducer.Workflow.Storage;

namespace ImageReducer.Workflow.Observability;

/// <summary>
/// The state of a logging scope: key/value pairs that every record written inside the scope carries
/// (Application Insights adds them to <c>customDimensions</c>; the console shows <see cref="ToString"/>).
/// </summary>
public sealed class LogScope : IReadOnlyList<KeyValuePair<string, object?>>
{
    private readonly KeyValuePair<string, object?>[] properties;

    private LogScope(KeyValuePair<string, object?>[] properties) => this.properties = properties;

    /// <summary>The scope of one activity of an exposure: instance, exposure and, for MapTile, the tile.</summary>
    public static LogScope Exposure(string? instanceId, BlobPath? exposure, int? tileIndex = null)
    {
        var list = new List<KeyValuePair<string, object?>>(3);
        if (instanceId is not null) list.Add(new(LogProperties.InstanceId, instanceId));
        if (exposure is not null) list.Add(new(LogProperties.Exposure, exposure.ToString()));
        if (tileIndex is { } tile) list.Add(new(LogProperties.TileIndex, tile));
        return new LogScope([.. list]);
    }

    /// <summary>The scope of a night step: instance and night (<c>container/prefix</c>).</summary>
    public static LogScope Night(string? instanceId, string container, string prefix)
    {
        var list = new List<KeyValuePair<string, object?>>(2);
        if (instanceId is not null) list.Add(new(LogProperties.InstanceId, instanceId));
        list.Add(new(LogProperties.Night, container + "/" + prefix));
        return new LogScope([.. list]);
    }

    /// <inheritdoc/>
    public KeyValuePair<string, object?> this[int index] => properties[index];

    /// <inheritdoc/>
    public int Count => properties.Length;

    /// <inheritdoc/>
    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, object?>>)properties).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary><c>InstanceId=…, Exposure=…</c>, as console scopes print it.</summary>
    public override string ToString() => string.Join(", ", properties.Select(p => $"{p.Key}={p.Value}"));
}
