namespace ImageReducer.Cli.Tests.Remote;

/// <summary>A request the fake API received.</summary>
public sealed record RecordedRequest(string Method, string Path, string? FunctionKey, string? ContentType, string Body);
