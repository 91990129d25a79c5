namespace ImageReducer.Cli.Tests.Remote;

/// <summary>Response bodies as the Functions API writes them (ApiJson: camelCase, nulls omitted).</summary>
public static class ApiDocuments
{
    public const string Created = "2026-11-25T10:00:00+00:00";

    /// <summary>The 202 body of a start (<c>RunAccepted</c>): the id and the API's own status route.</summary>
    public static string Accepted(string endpoint, string id) =>
        $$"""{"id":"{{id}}","statusUri":"{{endpoint}}/api/reductions/{{id}}"}""";

    /// <summary>A status document; <paramref name="progress"/> and <paramref name="output"/> are raw JSON or null.</summary>
    public static string Status(string id, string runtimeStatus, string? progress = null, string? output = null, string? failure = null, int updatedSeconds = 5)
    {
        var parts = new List<string>
        {
            $"\"id\":\"{id}\"", $"\"runtimeStatus\":\"{runtimeStatus}\"",
            $"\"createdAt\":\"{Created}\"", $"\"lastUpdatedAt\":\"2026-11-25T10:00:{updatedSeconds:D2}+00:00\"",
        };
        if (progress is not null) parts.Add($"\"progress\":{progress}");
        if (output is not null) parts.Add($"\"output\":{output}");
        if (failure is not null) parts.Add($"\"failure\":\"{failure}\"");
        return "{" + string.Join(',', parts) + "}";
    }

    public static string ProgressOf(string phase, int done, int total, string? outputName = null) =>
        outputName is null
            ? $$"""{"phase":"{{phase}}","tilesDone":{{done}},"tilesTotal":{{total}}}"""
            : $$$"""{"phase":"{{{phase}}}","tilesDone":{{{done}}},"tilesTotal":{{{total}}},"output":{"container":"outputs","name":"{{{outputName}}}"}}""";

    /// <summary>A succeeded reduction summary as the Durable data converter writes it (PascalCase, status as its number).</summary>
    public static string Summary(string name) =>
        $$"""{"RunId":"r1","Input":{"Container":"incoming","Name":"{{name}}"},"Status":0,"Output":{"Container":"outputs","Name":"{{name}}"},"Metadata":{"Container":"outputs","Name":"{{name}}.metadata.json"},"OutputBytes":2097152,"Tiles":4,"Cells":120,"ReduceBytesRead":4096}""";

    /// <summary>A failure record (a rejected input), camelCase with the status as a word.</summary>
    public static string FailedSummary(string name, string error) =>
        $$"""{"input":{"container":"incoming","name":"{{name}}"},"status":"failed","outputBytes":0,"tiles":0,"cells":0,"reduceBytesRead":0,"error":"{{error}}"}""";

    public static string Problem(int status, string title, string detail, string? errors = null) =>
        errors is null
            ? $$"""{"type":"https://httpstatuses.io/{{status}}","title":"{{title}}","status":{{status}},"detail":"{{detail}}"}"""
            : $$"""{"type":"https://httpstatuses.io/{{status}}","title":"{{title}}","status":{{status}},"detail":"{{detail}}","errors":{{errors}}}""";
}
