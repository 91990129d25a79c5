using System.CommandLine;

namespace ImageReducer.Cli.Commands;

/// <summary><c>imred status ID</c>: the state of a reduction or a night, once or followed to its end.</summary>
internal static class StatusCommand
{
    public static Command Create()
    {
        var id = new Argument<string>("ID") { Description = "Instance id, as printed by 'imred submit' or 'imred night' (or logged by the blob trigger)" };
        var watch = new Option<bool>("--watch") { Description = "Follow the run to its end, with progress on stderr" };
        var remote = new RemoteOptions();

        var command = new Command("status", "Show the state, progress and output of a reduction or night (GET /api/reductions/ID); exit 3 if it failed.")
        {
            id, watch,
        }.WithExamples(
            "imred status 5c1e0f6a9b2d4e7f --endpoint https://APP.azurewebsites.net",
            "imred status 5c1e0f6a9b2d4e7f --watch --poll-interval 5s --timeout 30m",
            "imred status 5c1e0f6a9b2d4e7f --json");
        remote.AddTo(command);

        command.SetAction((parse, cancellationToken) =>
        {
            ManagedRuntime.Require("imred status");
            string instance = parse.GetRequiredValue(id).Trim();
            if (instance.Length == 0) throw new Errors.UsageException("ID is empty");
            return RemoteRunAction.RunAsync(parse, remote, "run", parse.GetValue(watch),
                (_, _) => Task.FromResult(instance), cancellationToken);
        });
        return command;
    }
}
