using System.CommandLine;
using ImageReducer.Cli.Errors;
using ImageReducer.Cli.Remote;
using ImageReducer.Workflow.Storage;
using ImageReducer.Workflow.Api;

namespace ImageReducer.Cli.Commands;

/// <summary><c>imred night PREFIX</c>: reduce every exposure under a name prefix on the deployed app (POST /api/nights).</summary>
internal static class NightCommand
{
    public static Command Create()
    {
        var prefix = new Argument<string>("PREFIX") { Description = "Name prefix of the night's .fits blobs, e.g. 2026-11-24/" };
        var container = new Option<string?>("--container") { Description = "Container of the exposures; default the app's incoming container", HelpName = "C" };
        var outputContainer = new Option<string?>("--output-container") { Description = "Container of the outputs; default the app's output container", HelpName = "C" };
        var outputPrefix = new Option<string?>("--output-prefix") { Description = "Name prefix of the outputs, night-report.jsonl and night-summary.json; default PREFIX", HelpName = "P" };
        var maxConcurrent = new Option<int?>("--max-concurrent") { Description = "Exposures reduced at once, 1 to 64; default 4", HelpName = "N" };
        var wait = new Option<bool>("--wait") { Description = "Follow the night to its end, with progress (exposures done) on stderr" };
        var request = new RemoteConfig();
        var remote = new RemoteOptions();

        var command = new Command("night", "Reduce every exposure under a prefix on the deployed app (POST /api/nights); the night report lists each one's outcome.")
        {
            prefix, container, outputContainer, outputPrefix, maxConcurrent, wait,
        }.WithExamples(
            "imred night 2026-11-24/ --endpoint https://APP.azurewebsites.net --function-key \"$KEY\" --wait",
            "imred night 2026-11-24/ --container raw --output-container reduced --output-prefix bg/2026-11-24/ --set mapper.name=background --max-concurrent 8");
        request.AddTo(command);
        remote.AddTo(command);

        command.SetAction((parse, cancellationToken) =>
        {
            string namePrefix = parse.GetRequiredValue(prefix);
            Check(() => BlobPath.ValidatePrefix(namePrefix), "PREFIX", namePrefix);
            string? source = parse.GetValue(container);
            if (source is not null) Check(() => BlobPath.ValidateContainer(source), "--container", source);
            string? target = parse.GetValue(outputContainer);
            if (target is not null) Check(() => BlobPath.ValidateContainer(target), "--output-container", target);
            string? targetPrefix = parse.GetValue(outputPrefix);
            if (!string.IsNullOrEmpty(targetPrefix)) Check(() => BlobPath.ValidatePrefix(targetPrefix), "--output-prefix", targetPrefix);
            int? concurrency = parse.GetValue(maxConcurrent);
            if (concurrency is < 1 or > 64) throw new UsageException($"--max-concurrent must be 1 to 64, got {concurrency}");
            var body = new NightBody(source, namePrefix, target, targetPrefix, request.Load(parse), request.LoadTileSize(parse), concurrency);
            return RemoteRunAction.RunAsync(parse, remote, "night", parse.GetValue(wait),
                (client, ct) => client.StartNightAsync(body, ct), cancellationToken);
        });
        return command;
    }

    private static void Check(Action validate, string name, string value)
    {
        try
        {
            validate();
        }
        catch (ArgumentException e)
        {
            throw new UsageException($"{name} '{value}': {e.Message}");
        }
    }
}
