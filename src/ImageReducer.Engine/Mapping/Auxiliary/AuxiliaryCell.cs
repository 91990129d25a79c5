using ImageReducer.Engine.Imaging;

namespace ImageReducer.Engine.Mapping.Auxiliary;

/// <summary>
/// What one cell sees of the auxiliary inputs: each exposure's view of the cell's expanded box (the same box as the
/// main expanded cell; take <c>.Sub(cell.Box)</c> for the cell), and the kernels. Views: never write into them.
/// </summary>
public sealed class AuxiliaryCell
{
    private readonly IReadOnlyDictionary<string, Exposure> exposures;
    private readonly IReadOnlyDictionary<string, AuxiliaryKernel> kernels;

    internal AuxiliaryCell(IReadOnlyDictionary<string, Exposure> exposures, IReadOnlyDictionary<string, AuxiliaryKernel> kernels)
    {
        this.exposures = exposures;
        this.kernels = kernels;
    }

    /// <summary>No auxiliary input.</summary>
    public static AuxiliaryCell Empty { get; } = new(new Dictionary<string, Exposure>(), new Dictionary<string, AuxiliaryKernel>());

    /// <summary>The expanded-cell view of the auxiliary exposure <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">Not given (the runner checks declared inputs before the first cell, so a mapper asking for one it declared never sees this).</exception>
    public Exposure Exposure(string name) => exposures.TryGetValue(name, out var e) ? e
        : throw new KeyNotFoundException($"No auxiliary exposure '{name}' was given to this run; declare it in the mapper's AuxiliaryInputs.");

    /// <summary>The kernel <paramref name="name"/>, or null when it was not given (an optional input).</summary>
    public AuxiliaryKernel? Kernel(string name) => kernels.GetValueOrDefault(name);
}
