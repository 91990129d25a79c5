using ImageReducer.Cli.Files;
using ImageReducer.Cli.Output;
using ImageReducer.Engine.Mapping;
using ImageReducer.Engine.Running;
using ImageReducer.Workflow.Reduction;

namespace ImageReducer.Cli.Running;

/// <summary>Stages the primary output of a run: the stitched exposure, the combined PSF or the per-cell values.</summary>
internal static class RunOutputWriter
{
    public static async Task WriteAsync(StagedOutputs staged, RunOutputs outputs, MapReduceResult result, CancellationToken cancellationToken, int threads = -1)
    {
        var reduced = result.Reduced;
        switch (outputs.Kind)
        {
            case "exposure":
                using (var exposure = reduced.Exposure ?? throw new InvalidOperationException("the reducer returned no exposure"))
                    await ExposureFiles.WriteAsync(staged, outputs.Primary.FullName, exposure, cancellationToken, threads);
                break;
            case "psf":
                await PsfFiles.WriteAsync(staged, outputs.Primary.FullName, reduced.Psf ?? throw new InvalidOperationException("the reducer returned no PSF"), cancellationToken);
                break;
            case "results":
                var values = reduced.Results ?? throw new InvalidOperationException("the reducer returned no results");
                var entries = values.Select((r, i) => new CellResultEntry(i, result.Grid.Cells[i], result.Grid.ExpandedCells[i], CellResultValue.Of(r))).ToArray();
                await staged.WriteAllBytesAsync(outputs.Primary.FullName, CliJson.SerializeToUtf8(entries), cancellationToken);
                break;
            default:
                throw new InvalidOperationException($"unknown output kind {outputs.Kind}");
        }
    }
}
