using System.CommandLine;
using ImageReducer.Cli.Errors;
using ImageReducer.Cli.Remote;
using ImageReducer.Workflow.Nights;
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
        var maxConcurrent = new Option<int?>("--max-concurrent") { Description = $"Exposures reduced at once, night-wide, 1 to {NightLimits.MaxConcurrentExposures}; default 4", HelpName = "N" };
        var batchSize = new Option<int?>("--batch-size") { Description = $"Most exposures per batch, 1 to {NightLimits.MaxBatchSize} (a batch never spans two visits); default {NightLimits.MaxBatchSize}", HelpName = "N" };
        var force = new Option<bool>("--force") { Description = "Reduce every exposure, even those whose output exists from the same run inputs (default: skip them, so a rerun resumes a partial night)" };
        var keepInstances = new Option<bool>("--keep-instances") { Description = "Keep each exposure's orchestration instance in the task hub (default: purged once the night report records it)" };
        var aux = new Option<string[]>("--aux")
        {
            Description = "An auxiliary input of each exposure, a blob pattern with placeholders from the exposure's name relative to PREFIX: " +
                "{name} (visit-7/ccd03.fits), {dir} (visit-7/), {file} (ccd03.fits), {stem} (ccd03). NAME=container/pattern. Repeatable",
            HelpName = "NAME=PATTERN",
            DefaultValueFactory = _ => [],
        };
        var wait = new Option<bool>("--wait") { Description = "Follow the night to its end, with progress (batches and exposures done) on stderr" };
        var request = new RemoteConfig();
        var remote = new RemoteOptions();

        var command = new Command("night", "Reduce every exposure under a prefix on the deployed app (POST /api/nights); the night report lists each one's outcome.")
        {
            prefix, container, outputContainer, outputPrefix, maxConcurrent, batchSize, force, keepInstances, aux, wait,
        }.WithExamples(
            "imred night 2026-11-24/ --endpoint https://APP.azurewebsites.net --function-key \"$KEY\" --wait",
            "imred night 2026-11-24/ --container raw --output-container reduced --output-prefix bg/2026-11-24/ --set mapper.name=background --max-concurrent 8",
            "imred night 2026-11-24/ --wait                # again after a partial night: reduces only what is missing",
            "imred night 2026-11-24/ --force --wait        # every exposure again",
            "imred night 2026-11-24/ --set mapper.name=zogy --aux 'template=templates/{dir}{stem}.fits' --wait");
        request.AddTo(command);
        remote.AddTo(command);

        command.SetAction((parse, cancellationToken) =>
        {
            ManagedRuntime.Require("imred night");
            string namePrefix = parse.GetRequiredValue(prefix);
            Check(() => BlobPath.ValidatePrefix(namePrefix), "PREFIX", namePrefix);
            string? source = parse.GetValue(container);
            if (source is not null) Check(() => BlobPath.ValidateContainer(source), "--container", source);
            string? target = parse.GetValue(outputContainer);
            if (target is not null) Check(() => BlobPath.ValidateContainer(target), "--output-container", target);
            string? targetPrefix = parse.GetValue(outputPrefix);
            if (!string.IsNullOrEmpty(targetPrefix)) Check(() => BlobPath.ValidatePrefix(targetPrefix), "--output-prefix", targetPrefix);
            int? concurrency = parse.GetValue(maxConcurrent);
            if (concurrency is < 1 or > NightLimits.MaxConcurrentExposures)
                throw new UsageException($"--max-concurrent must be 1 to {NightLimits.MaxConcurrentExposures}, got {concurrency}");
            int? batch = parse.GetValue(batchSize);
            if (batch is < 1 or > NightLimits.MaxBatchSize) throw new UsageException($"--batch-size must be 1 to {NightLimits.MaxBatchSize}, got {batch}");
            var body = new NightBody(source, namePrefix, target, targetPrefix, request.Load(parse), request.LoadTileSize(parse), concurrency, batch,
                parse.GetValue(force) ? true : null, parse.GetValue(keepInstances) ? false : null)
            {
                Psf = request.LoadPsf(parse),
                Flow = parse.GetValue(request.Flow),
                Auxiliary = RemoteConfig.AuxiliaryArguments(parse.GetValue(aux) ?? [], "NAME=PATTERN, e.g. --aux 'template=templates/{dir}{stem}.fits'", Pattern),
            };
            return RemoteRunAction.RunAsync(parse, remote, "night", parse.GetValue(wait),
                (client, ct) => client.StartNightAsync(body, ct), cancellationToken);
        });
        return command;
    }

    /// <summary>One pattern checked by the rules the app applies (<see cref="NightAuxiliary"/>), so a typo fails before any request.</summary>
    private static string Pattern(string name, string pattern)
    {
        try
        {
            return NightAuxiliary.Validate(new Dictionary<string, string> { [name] = pattern })![name];
        }
        catch (AuxiliaryPatternException e)
        {
            throw new UsageException($"--aux {name} '{pattern}': {e.Reason}");
        }
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
