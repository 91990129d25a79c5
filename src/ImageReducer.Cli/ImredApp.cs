using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using ImageReducer.Cli.Commands;
using ImageReducer.Cli.Diagnostics;
using ImageReducer.Cli.Errors;
using ImageReducer.Cli.Remote;

namespace ImageReducer.Cli;

/// <summary>Composes the <c>imred</c> commands and turns every failure into one stderr line and an exit code.</summary>
internal static class ImredApp
{
    /// <summary>The root command with every verb.</summary>
    /// <remarks>A plain command named <c>imred</c> rather than a RootCommand, whose name would be the assembly's
    /// (<c>ImageReducer.Cli</c>) in usage lines and errors.</remarks>
    public static Command CreateRootCommand()
    {
        var root = new Command("imred",
            "Map-reduce astronomical exposures as LSST's ImageMapReduce does, in parallel and bit-for-bit reproducible.\n" +
            "Exit codes: 0 success, 1 unexpected error, 2 usage or configuration error (a request the API refused included),\n" +
            "3 input data error or a remote run that failed, 4 remote API or storage unreachable, failing or too slow (--timeout),\n" +
            "or the input changed under the run, 130 interrupted.")
        {
            new HelpOption { Recursive = true }.ShowingExamples(),
            new VersionOption(),
            GlobalOptions.Verbose,
            GlobalOptions.Quiet,
            RunCommand.Create(),
            GridCommand.Create(),
            PsfCommand.Create(),
            InspectCommand.Create(),
            PreviewCommand.Create(),
            DemoCommand.Create(),
            SubmitCommand.Create(),
            StatusCommand.Create(),
            NightCommand.Create(),
            WorkerCommand.Create(),
        }.WithExamples(
            "imred demo --out demo",
            "imred run exposure.fits -o background.fits --set mapper.name=background",
            "imred grid exposure.fits --json",
            "imred psf exposure.fits --at 100,200 --json",
            "imred inspect exposure.fits",
            "imred preview exposure.fits -o exposure.png --stretch asinh",
            "imred submit incoming/exposure.fits --endpoint https://APP.azurewebsites.net --function-key \"$KEY\" --wait",
            "imred status ID --watch",
            "imred night 2026-11-24/ --wait",
            "imred worker --connection UseDevelopmentStorage=true");
        return root;
    }

    /// <summary>Parses and runs <paramref name="args"/>; returns the exit code.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        Command root = CreateRootCommand();
        Timeline.Mark("commands built");
        ParseResult parse = root.Parse(args);
        Timeline.Mark("arguments parsed");
        // --help and --version win over parse errors (as in System.CommandLine); any other error is ours to print.
        if (parse.Errors.Count > 0 && parse.Action is ParseErrorAction or null)
        {
            string command = string.Join(' ', CommandPath(parse.CommandResult.Command));
            error.WriteLine($"imred: error: {ErrorClassifier.OneLine(parse.Errors[0].Message)} (see '{command} --help')");
            return ExitCodes.Usage;
        }
        var invocation = new InvocationConfiguration
        {
            Output = output,
            Error = error,
            EnableDefaultExceptionHandler = false,
            // Ctrl+C / SIGTERM cancel the token; give the pipeline time to unwind and delete its
            // temporary files instead of exiting under it.
            ProcessTerminationTimeout = TimeSpan.FromSeconds(15),
        };
        try
        {
            return await parse.InvokeAsync(invocation);
        }
        catch (ManagedRuntimeRequiredException handOff)
        {
            return ManagedRuntime.HandOff(args, handOff.What, error);
        }
        catch (Exception e)
        {
            error.WriteLine($"imred: error: {ErrorClassifier.MessageOf(e)}");
            if (e is RemoteProblemException problem)
                foreach (string field in problem.FieldLines) error.WriteLine($"imred:   {ErrorClassifier.OneLine(field)}");
            if (parse.GetValue(GlobalOptions.Verbose)) error.WriteLine(e.ToString());
            return ErrorClassifier.ExitCodeOf(e);
        }
    }

    private static IEnumerable<string> CommandPath(Command command)
    {
        var names = new Stack<string>();
        for (Symbol? s = command; s is not null; s = s.Parents.FirstOrDefault())
            names.Push(s.Name);
        return names;
    }
}
