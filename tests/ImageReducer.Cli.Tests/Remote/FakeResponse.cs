namespace ImageReducer.Cli.Tests.Remote;

/// <summary>What the fake API answers.</summary>
public sealed record FakeResponse(int Status, string Body = "", string ContentType = "application/json; charset=utf-8", string? RetryAfter = null)
{
    public static FakeResponse Json(int status, string body) => new(status, body);
}
