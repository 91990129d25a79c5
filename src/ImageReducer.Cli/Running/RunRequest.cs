using ImageReducer.Engine;
using ImageReducer.Engine.Config;
using ImageReducer.Engine.Mapping;
using ImageReducer.Engine.PointSpread;

namespace ImageReducer.Cli.Running;

/// <summary>What <c>imred run</c> does once its options are checked.</summary>
/// <param name="Input">The exposure file.</param>
/// <param name="Layout">Its FITS layout (<c>auto</c> to detect).</param>
/// <param name="Config">The resolved configuration.</param>
/// <param name="Mapper">The mapper built from <paramref name="Config"/>.</param>
/// <param name="Engine">Parallelism.</param>
/// <param name="Psf">A PSF replacing the input's, or null.</param>
/// <param name="Outputs">Where to write.</param>
internal sealed record RunRequest(FileInfo Input, string Layout, MapReduceConfig Config, IMapper Mapper, EngineOptions Engine, Psf? Psf, RunOutputs Outputs)
{
    /// <summary>Where the input's FITS warnings are printed (stderr), or null not to print them.</summary>
    public TextWriter? Warnings { get; init; }

    /// <summary>The mapper's auxiliary inputs: name → local path (<c>--aux NAME=PATH</c>), checked against the mapper's declarations.</summary>
    public IReadOnlyDictionary<string, string> Auxiliary { get; init; } = new Dictionary<string, string>();

    /// <summary>The input's SHA-256, already started by the command (<see cref="Files.InputHash"/>), or null for the read to start it.</summary>
    public Files.InputHash? InputHash { get; init; }
}
