namespace ImageReducer.Cli.Remote;

/// <summary>A followed run ended failed, terminated or with a failure record (exit code 3).</summary>
internal sealed class RemoteRunFailedException(string message) : Exception(message);
