using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.Runtime.CompilerServices;

namespace ImageReducer.Cli.Commands;

/// <summary>
/// Example command lines shown in an "Examples:" section at the end of a command's <c>--help</c>
/// (kept out of the description so that the root's command list stays one line per command).
/// </summary>
internal static class CommandExamples
{
    private static readonly ConditionalWeakTable<Command, string[]> Examples = new();

    /// <summary>Attaches <paramref name="examples"/> to <paramref name="command"/> and returns it.</summary>
    public static T WithExamples<T>(this T command, params string[] examples) where T : Command
    {
        Examples.AddOrUpdate(command, examples);
        return command;
    }

    /// <summary>Makes <paramref name="help"/> print the examples after the default help.</summary>
    public static HelpOption ShowingExamples(this HelpOption help)
    {
        if (help.Action is SynchronousCommandLineAction standard) help.Action = new ExamplesHelpAction(standard);
        return help;
    }

    /// <summary>The standard help, then the examples of the command asked about.</summary>
    private sealed class ExamplesHelpAction(SynchronousCommandLineAction standard) : SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            int result = standard.Invoke(parseResult);
            if (Examples.TryGetValue(parseResult.CommandResult.Command, out string[]? lines) && lines.Length > 0)
            {
                TextWriter output = parseResult.InvocationConfiguration.Output;
                output.WriteLine("Examples:");
                foreach (string line in lines) output.WriteLine("  " + line);
                output.WriteLine();
            }
            return result;
        }
    }
}
