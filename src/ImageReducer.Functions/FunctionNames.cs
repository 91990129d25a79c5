namespace ImageReducer.Functions;

/// <summary>The names orchestrations and activities are registered and called by (one place, so Functions and tests agree).</summary>
public static class FunctionNames
{
    public const string ReduceExposure = "ReduceExposure";
    public const string ReduceNight = "ReduceNight";
    public const string Plan = "Plan";
    public const string MapTile = "MapTile";
    public const string Reduce = "Reduce";
    public const string Quarantine = "Quarantine";
    public const string ListNight = "ListNight";
    public const string WriteNightReport = "WriteNightReport";
}
