using ImageReducer.Cli.Output;
using ImageReducer.Engine.Fits;
using ImageReducer.Engine.Imaging;
using ImageReducer.Engine.Mapping;
using ImageReducer.Engine.Mapping.Auxiliary;

namespace ImageReducer.Cli.Files;

/// <summary>Reads the auxiliary inputs of an in-process run from local files (exposures in any layout the engine reads, kernels from FITS).</summary>
internal static class AuxiliaryFiles
{
    /// <summary>Reads each input as the mapper declares it; the caller disposes the result.</summary>
    /// <returns>The inputs, and a digest of each file for the run metadata.</returns>
    /// <exception cref="Errors.InputDataException">A file is missing.</exception>
    /// <exception cref="FitsException">A file is not a valid exposure or kernel.</exception>
    public static async Task<(AuxiliaryData Data, IReadOnlyList<AuxiliaryDigest> Digests)> ReadAsync(IReadOnlyDictionary<string, string> paths,
        IMapper mapper, string layout, CancellationToken cancellationToken)
    {
        var exposures = new Dictionary<string, Exposure>(StringComparer.Ordinal);
        var kernels = new Dictionary<string, AuxiliaryKernel>(StringComparer.Ordinal);
        var sources = new Dictionary<string, string>(StringComparer.Ordinal);
        var digests = new List<AuxiliaryDigest>();
        try
        {
            foreach (AuxiliaryInput input in mapper.AuxiliaryInputs)
            {
                if (!paths.TryGetValue(input.Name, out string? text)) continue;
                var file = new FileInfo(text);
                sources[input.Name] = file.FullName;
                if (input.Kind == AuxiliaryKind.Exposure)
                {
                    LoadedExposure loaded = await ExposureFiles.ReadAsync(file, layout, cancellationToken);
                    exposures[input.Name] = loaded.Exposure;
                    digests.Add(new AuxiliaryDigest(input.Name, "exposure", file.FullName, await loaded.Sha256, loaded.Layout));
                }
                else
                {
                    kernels[input.Name] = await Task.Run(() =>
                    {
                        InputFile.MustExist(file);
                        using var reader = FitsReader.Open(file.FullName);
                        return AuxiliaryKernel.Read(reader);
                    }, cancellationToken);
                    digests.Add(new AuxiliaryDigest(input.Name, "kernel", file.FullName, FileHash.Sha256(file.FullName, cancellationToken), null));
                }
            }
        }
        catch
        {
            foreach (Exposure e in exposures.Values) e.Dispose();
            throw;
        }
        return (new AuxiliaryData(exposures, kernels, sources), digests);
    }
}

/// <summary>One auxiliary input of a run, as the run metadata records it.</summary>
/// <param name="Name">The mapper's name for it (<c>template</c>).</param>
/// <param name="Kind"><c>exposure</c> or <c>kernel</c>.</param>
/// <param name="Path">The file (absolute).</param>
/// <param name="Sha256">The file's SHA-256.</param>
/// <param name="Layout">The exposure layout found, or null for a kernel.</param>
internal sealed record AuxiliaryDigest(string Name, string Kind, string Path, string Sha256, string? Layout);
