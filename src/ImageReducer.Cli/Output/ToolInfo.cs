namespace ImageReducer.Cli.Output;

/// <summary>The tool that wrote the file.</summary>
internal sealed record ToolInfo(string Name, string Version);
