using ImageReducer.Engine.Config;
using ImageReducer.Engine.Imaging;
using ImageReducer.Engine.Mapping;
using ImageReducer.Engine.PointSpread;

namespace ImageReducer.Engine.Reducing;

/// <summary>
/// <c>coaddPsf</c>: one <see cref="CoaddPsf"/> whose components are each result's PSF and box with
/// weight 1 — a <see cref="PsfResult"/>, or an <see cref="ExposureResult"/> whose exposure has a PSF
/// and the input's WCS.
/// </summary>
/// <remarks>Only the PSF and box of each result are kept, never its pixels.</remarks>
public sealed class CoaddPsfReducer : IReducer
{
    /// <summary>The reducer of <c>coaddPsf</c> (the configuration's bad planes do not apply).</summary>
    public CoaddPsfReducer(ReducerConfig config) => ArgumentNullException.ThrowIfNull(config);

    /// <inheritdoc/>
    public ReduceOperation Operation => ReduceOperation.CoaddPsf;

    /// <inheritdoc/>
    public OutputKind Output => OutputKind.Psf;

    /// <inheritdoc/>
    public PsfRule PsfRule => PsfRule.CoaddOfResults;

    /// <inheritdoc/>
    public string OutputSuffix => ".psf.fits";

    /// <inheritdoc/>
    public bool ReportsOverlap => false;

    /// <inheritdoc/>
    public bool KeepsResults => false;

    /// <inheritdoc/>
    public IReduction Begin(Exposure input, EngineOptions options) => new Reduction(input ?? throw new ArgumentNullException(nameof(input)));

    private sealed class Reduction(Exposure input) : IReduction
    {
        private readonly List<CoaddPsfComponent> components = [];

        public void Add(int cellIndex, MapResult result)
        {
            if (cellIndex != components.Count) throw ReduceErrors.OutOfOrder(cellIndex, components.Count);
            components.Add(result switch
            {
                PsfResult p => new CoaddPsfComponent(p.Psf, p.Box, 1.0),
                ExposureResult { SubExposure: { Psf: { } psf } sub } => Exposure.SameWcs(sub.Wcs, input.Wcs)
                    ? new CoaddPsfComponent(psf, sub.Box, 1.0)
                    : throw ReduceErrors.DifferentWcs(cellIndex),
                _ => throw ReduceErrors.ExpectedPsf(cellIndex, result),
            });
        }

        public ReduceResult Complete() => new() { Psf = new CoaddPsf(components) };

        public void Dispose() { }
    }
}

/// <summary><c>coaddPsf</c>, declared with its reducer.</summary>
public sealed partial class ReduceOperation
{
    /// <summary><c>coaddPsf</c>: combine the results' PSFs into one CoaddPsf (<see cref="CoaddPsfReducer"/>).</summary>
    public static ReduceOperation CoaddPsf { get; } = new("coaddPsf", config => new CoaddPsfReducer(config));
}
