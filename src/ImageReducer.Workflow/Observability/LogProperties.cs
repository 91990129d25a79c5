namespace ImageReducer.Workflow.Observability;

/// <summary>
/// Names of the structured properties the app's logs carry (Application Insights
/// <c>customDimensions</c>), one place so code, tests and Kusto queries agree.
/// </summary>
public static class LogProperties
{
    /// <summary>The Durable orchestration instance id.</summary>
    public const string InstanceId = "InstanceId";

    /// <summary>The input exposure blob, <c>container/name</c>.</summary>
    public const string Exposure = "Exposure";

    /// <summary>The tile index (MapTile).</summary>
    public const string TileIndex = "TileIndex";

    /// <summary>The night, <c>container/prefix</c> (night steps).</summary>
    public const string Night = "Night";
}
