using System.Text.Json.Serialization;

namespace ImageReducer.Cli.Output;

/// <summary>Wall-clock seconds per phase; the snake_case names are part of the contract.</summary>
internal sealed record Timings(
    [property: JsonPropertyName("read_s")] double ReadSeconds,
    [property: JsonPropertyName("map_s")] double MapSeconds,
    [property: JsonPropertyName("reduce_s")] double ReduceSeconds,
    [property: JsonPropertyName("write_s")] double WriteSeconds,
    [property: JsonPropertyName("total_s")] double TotalSeconds);
