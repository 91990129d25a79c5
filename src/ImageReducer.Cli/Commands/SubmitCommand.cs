using System.CommandLine;
using ImageReducer.Cli.Errors;
using ImageReducer.Cli.Remote;
using ImageReducer.Workflow.Api;

namespace ImageReducer.Cli.Commands;

/// <summary><c>imred submit INPUT</c>: start a reduction on a deployed app (or func start) through its HTTP API.</summary>
internal static class SubmitCommand
{
    public static Command Create()
    {
        var input = new Argument<string>("INPUT") { Description = "The exposure, already in the app's storage: container/name or az://container/name" };
        var output = new Option<string?>("--output", "-o")
        {
            Description = "Output blob (container/name); default the app's output container with the input's name",
            HelpName = "OUTPUT",
        };
        var wait = new Option<bool>("--wait") { Description = "Follow the run to its end, with progress on stderr; exit 3 if it fails" };
        var aux = new Option<string[]>("--aux")
        {
            Description = "An auxiliary input of the mapper, already in the app's storage: NAME=container/name or NAME=az://container/name. Repeatable",
            HelpName = "NAME=BLOB",
            DefaultValueFactory = _ => [],
        };
        var request = new RemoteConfig();
        var remote = new RemoteOptions();

        var command = new Command("submit", "Start a reduction of one exposure on the deployed app (POST /api/reductions) and print its id and status URL.")
        {
            input, output, wait, aux,
        }.WithExamples(
            "imred submit incoming/visit-000001/ccd-042.fits --endpoint https://APP.azurewebsites.net --function-key \"$KEY\" --wait",
            "imred submit az://incoming/e.fits -o outputs/e-bg.fits --set mapper.name=background --tile-size 512 --json",
            "IMRED_ENDPOINT=http://localhost:7071 imred submit incoming/e.fits --config run.json --wait");
        request.AddTo(command);
        remote.AddTo(command);

        command.SetAction((parse, cancellationToken) =>
        {
            ManagedRuntime.Require("imred submit");
            string inputPath = RemoteConfig.BlobArgument("INPUT", parse.GetRequiredValue(input));
            string? outputPath = parse.GetValue(output) is string o ? RemoteConfig.BlobArgument("--output", o) : null;
            var body = new ReductionBody(inputPath, outputPath, request.Load(parse), request.LoadTileSize(parse))
            {
                Auxiliary = RemoteConfig.AuxiliaryArguments(parse.GetValue(aux) ?? [], "NAME=BLOB, e.g. --aux template=templates/t.fits",
                    (name, blob) => RemoteConfig.BlobArgument($"--aux {name}", blob)),
                Psf = request.LoadPsf(parse),
                Flow = parse.GetValue(request.Flow),
            };
            return RemoteRunAction.RunAsync(parse, remote, "reduction", parse.GetValue(wait),
                (client, ct) => client.StartReductionAsync(body, ct), cancellationToken);
        });
        return command;
    }
}
