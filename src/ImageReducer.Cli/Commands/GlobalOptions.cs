using System.CommandLine;

namespace ImageReducer.Cli.Commands;

/// <summary>Options every command accepts (recursive on the root command).</summary>
internal static class GlobalOptions
{
    public static readonly Option<bool> Verbose = new("--verbose", "-v")
    {
        Description = "On error, print the details (exception type and stack) after the one-line message",
        Recursive = true,
    };

    public static readonly Option<bool> Quiet = new("--quiet", "-q")
    {
        Description = "Show no progress on stderr (errors are still printed)",
        Recursive = true,
    };
}
