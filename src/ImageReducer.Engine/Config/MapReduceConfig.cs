using System.Text.Json.Serialization;

namespace ImageReducer.Engine.Config;

/// <summary>
/// The map-reduce configuration: the reference's <c>ImageMapReduceConfig</c> with its field names
/// (camelCase in JSON) and defaults, plus the nested <see cref="Mapper"/> and <see cref="Reducer"/>.
/// </summary>
public sealed record MapReduceConfig
{
    /// <summary>
    /// Explicit cell centres (x), in pixels relative to the exposure origin (xy0), as in the reference:
    /// a centre 10 on an exposure starting at x = 1000 is parent column 1010. When non-empty the grid
    /// fields are not used and sizes are raw pixels, truncated.
    /// </summary>
    public IReadOnlyList<double>? CellCentroidsX { get; init; }
    /// <summary>Explicit cell centres (y, relative to the exposure origin); must have the length of <see cref="CellCentroidsX"/>.</summary>
    public IReadOnlyList<double>? CellCentroidsY { get; init; }
    /// <summary>Cell width: FWHM units when <see cref="ScaleByFwhm"/>, else pixels. Must be &gt; 0.</summary>
    public double CellSizeX { get; init; } = 10;
    /// <summary>Cell height (as <see cref="CellSizeX"/>). Must be &gt; 0.</summary>
    public double CellSizeY { get; init; } = 10;
    /// <summary>Spacing of cell centres in x (FWHM units or pixels). Must be &gt; 0.</summary>
    public double GridStepX { get; init; } = 10;
    /// <summary>Spacing of cell centres in y. Must be &gt; 0.</summary>
    public double GridStepY { get; init; } = 10;
    /// <summary>Border added on each side in x for the expanded cell (FWHM units or pixels). Must be &gt; 0.</summary>
    public double BorderSizeX { get; init; } = 5;
    /// <summary>Border in y. Must be &gt; 0.</summary>
    public double BorderSizeY { get; init; } = 5;
    /// <summary>How to adjust the grid; default <c>spacing</c>.</summary>
    public AdjustGridOption AdjustGridOption { get; init; } = AdjustGridOption.Spacing;
    /// <summary>Sizes, steps and borders are in units of the PSF FWHM (default), not pixels.</summary>
    public bool ScaleByFwhm { get; init; } = true;
    /// <summary>Also return the input sub-exposures with each result (debugging).</summary>
    public bool ReturnSubImages { get; init; }
    /// <summary>Grow odd-sized boxes to even sizes (the reference's <c>forceEvenSized</c> run option).</summary>
    public bool ForceEvenSized { get; init; }
    /// <summary>The mapper and its options.</summary>
    public MapperConfig Mapper { get; init; } = new();
    /// <summary>The reducer configuration.</summary>
    public ReducerConfig Reducer { get; init; } = new();

    /// <summary>True when explicit centroids are configured (non-empty <see cref="CellCentroidsX"/>).</summary>
    [JsonIgnore]
    public bool HasCentroids => CellCentroidsX is { Count: > 0 };

    /// <summary>
    /// Value equality, with the centroid lists compared element by element (the compiler-generated
    /// record equality compares list references, so a config never equalled its own JSON round trip).
    /// </summary>
    public bool Equals(MapReduceConfig? other) => other is not null &&
        SameValues(CellCentroidsX, other.CellCentroidsX) && SameValues(CellCentroidsY, other.CellCentroidsY) &&
        CellSizeX.Equals(other.CellSizeX) && CellSizeY.Equals(other.CellSizeY) &&
        GridStepX.Equals(other.GridStepX) && GridStepY.Equals(other.GridStepY) &&
        BorderSizeX.Equals(other.BorderSizeX) && BorderSizeY.Equals(other.BorderSizeY) &&
        AdjustGridOption == other.AdjustGridOption && ScaleByFwhm == other.ScaleByFwhm &&
        ReturnSubImages == other.ReturnSubImages && ForceEvenSized == other.ForceEvenSized &&
        Equals(Mapper, other.Mapper) && Equals(Reducer, other.Reducer);

    public override int GetHashCode()
    {
        var h = new HashCode();
        h.Add(CellCentroidsX?.Count ?? -1);
        h.Add(CellSizeX); h.Add(CellSizeY); h.Add(GridStepX); h.Add(GridStepY); h.Add(BorderSizeX); h.Add(BorderSizeY);
        h.Add(AdjustGridOption); h.Add(ScaleByFwhm); h.Add(ReturnSubImages); h.Add(ForceEvenSized);
        h.Add(Mapper); h.Add(Reducer);
        return h.ToHashCode();
    }

    private static bool SameValues(IReadOnlyList<double>? a, IReadOnlyList<double>? b) =>
        ReferenceEquals(a, b) || (a is not null && b is not null && a.SequenceEqual(b));

    /// <summary>Checks every constrained field once; the message names the field.</summary>
    /// <exception cref="ConfigValidationException">A field is invalid.</exception>
    public MapReduceConfig Validate()
    {
        ConfigGuard.Positive(CellSizeX, "cellSizeX");
        ConfigGuard.Positive(CellSizeY, "cellSizeY");
        ConfigGuard.Positive(GridStepX, "gridStepX");
        ConfigGuard.Positive(GridStepY, "gridStepY");
        ConfigGuard.Positive(BorderSizeX, "borderSizeX");
        ConfigGuard.Positive(BorderSizeY, "borderSizeY");
        ConfigGuard.Defined(AdjustGridOption, "adjustGridOption");
        int nx = CellCentroidsX?.Count ?? 0, ny = CellCentroidsY?.Count ?? 0;
        if (nx != ny)
            throw new ConfigValidationException("cellCentroidsY",
                $"cellCentroidsX and cellCentroidsY must have the same length, got {nx} and {ny}");
        for (int i = 0; i < nx; i++)
        {
            ConfigGuard.Finite(CellCentroidsX![i], $"cellCentroidsX[{i}]");
            ConfigGuard.Finite(CellCentroidsY![i], $"cellCentroidsY[{i}]");
        }
        (Mapper ?? throw new ConfigValidationException("mapper", "mapper must not be null")).Validate();
        (Reducer ?? throw new ConfigValidationException("reducer", "reducer must not be null")).Validate();
        return this;
    }
}
