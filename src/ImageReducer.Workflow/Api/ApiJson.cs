using System.Text.Json;
using System.Text.Json.Serialization;

namespace ImageReducer.Workflow.Api;

/// <summary>
/// JSON conventions of the HTTP API, for the app that writes it and the client that reads it: camelCase, enums as
/// words, nulls omitted; read case-insensitively, because the orchestration output inside a status document is
/// written by the Durable data converter, whose naming the API does not control.
/// </summary>
public static class ApiJson
{
    /// <summary>The options both sides serialise the API's bodies with.</summary>
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var o = new JsonSerializerOptions(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };
        o.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        o.MakeReadOnly(populateMissingResolver: true);
        return o;
    }
}
