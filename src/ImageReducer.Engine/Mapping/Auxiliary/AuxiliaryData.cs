using System.Collections.Frozen;
using System.Reflection;
using ImageReducer.Engine.Imaging;

namespace ImageReducer.Engine.Mapping.Auxiliary;

/// <summary>
/// The auxiliary inputs given for one run: exposures on the main exposure's pixel grid (or, in a distributed run,
/// the same piece of each) and kernels. The runner checks them against what the mapper declares
/// (<see cref="IMapper.AuxiliaryInputs"/>) and hands every cell the views of its expanded cell
/// (<see cref="AuxiliaryCell"/>).
/// </summary>
/// <remarks>Owns its exposures: <see cref="Dispose"/> disposes them. Read-only once built; safe to share between threads.</remarks>
public sealed class AuxiliaryData : IDisposable
{
    private readonly FrozenDictionary<string, Exposure> exposures;
    private readonly FrozenDictionary<string, AuxiliaryKernel> kernels;
    private readonly FrozenDictionary<string, string> sources;

    /// <summary>No auxiliary input.</summary>
    public static AuxiliaryData None { get; } = new(null, null);

    /// <summary>Groups the inputs.</summary>
    /// <param name="exposures">Exposures by name (ownership passes to this object).</param>
    /// <param name="kernels">Kernels by name.</param>
    /// <param name="sources">Where each input came from (a path or blob), for error messages; the name when absent.</param>
    /// <exception cref="ArgumentException">A name is used twice.</exception>
    public AuxiliaryData(IReadOnlyDictionary<string, Exposure>? exposures, IReadOnlyDictionary<string, AuxiliaryKernel>? kernels,
        IReadOnlyDictionary<string, string>? sources = null)
    {
        this.exposures = (exposures ?? new Dictionary<string, Exposure>()).ToFrozenDictionary(StringComparer.Ordinal);
        this.kernels = (kernels ?? new Dictionary<string, AuxiliaryKernel>()).ToFrozenDictionary(StringComparer.Ordinal);
        this.sources = (sources ?? new Dictionary<string, string>()).ToFrozenDictionary(StringComparer.Ordinal);
        foreach (string name in this.exposures.Keys)
            if (this.kernels.ContainsKey(name)) throw new ArgumentException($"The auxiliary input '{name}' is given both as an exposure and as a kernel.");
    }

    /// <summary>The exposures by name.</summary>
    public IReadOnlyDictionary<string, Exposure> Exposures => exposures;

    /// <summary>The kernels by name.</summary>
    public IReadOnlyDictionary<string, AuxiliaryKernel> Kernels => kernels;

    /// <summary>True when no input is given.</summary>
    public bool IsEmpty => exposures.Count == 0 && kernels.Count == 0;

    /// <summary>Where <paramref name="name"/> came from (for messages).</summary>
    public string SourceOf(string name) => sources.GetValueOrDefault(name, name);

    /// <summary>
    /// Checks the inputs against the mapper's declarations and the main exposure (or piece) box: every required
    /// input given with its kind, no undeclared name, every exposure on <paramref name="box"/>, a PSF where declared.
    /// </summary>
    /// <exception cref="AuxiliaryInputException">The first problem found, in declaration order.</exception>
    public void Check(IMapper mapper, Box box)
    {
        ArgumentNullException.ThrowIfNull(mapper);
        string name = NameOf(mapper);
        var given = new Dictionary<string, AuxiliaryKind>(StringComparer.Ordinal);
        foreach (string e in exposures.Keys) given[e] = AuxiliaryKind.Exposure;
        foreach (string k in kernels.Keys) given[k] = AuxiliaryKind.Kernel;
        CheckNames(name, mapper.AuxiliaryInputs, given);
        foreach (AuxiliaryInput input in mapper.AuxiliaryInputs)
            if (input.Kind == AuxiliaryKind.Exposure && exposures.TryGetValue(input.Name, out Exposure? exposure))
                CheckExposure(name, input, SourceOf(input.Name), exposure.Box, exposure.Psf is not null, box);
    }

    /// <summary>Checks the names and kinds given (before any file is read): missing, unknown or of the wrong kind.</summary>
    /// <exception cref="AuxiliaryInputException">The first problem found.</exception>
    public static void CheckNames(string mapper, IReadOnlyList<AuxiliaryInput> declared, IReadOnlyDictionary<string, AuxiliaryKind> given)
    {
        ArgumentNullException.ThrowIfNull(declared);
        ArgumentNullException.ThrowIfNull(given);
        foreach (string name in given.Keys.Order(StringComparer.Ordinal))
            if (!declared.Any(d => d.Name == name)) throw AuxiliaryInputException.Unknown(mapper, name, declared);
        foreach (AuxiliaryInput input in declared)
        {
            if (!given.TryGetValue(input.Name, out AuxiliaryKind kind))
            {
                if (!input.Optional) throw AuxiliaryInputException.Missing(mapper, input);
                continue;
            }
            if (kind != input.Kind) throw AuxiliaryInputException.WrongKind(mapper, input);
        }
    }

    /// <summary>Checks one exposure: same box as the main exposure (size and origin), a PSF when the mapper needs one.</summary>
    /// <exception cref="AuxiliaryInputException">Another box, or no PSF where one is needed.</exception>
    public static void CheckExposure(string mapper, AuxiliaryInput input, string source, Box box, bool hasPsf, Box expected)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (box != expected) throw AuxiliaryInputException.OtherBox(mapper, input.Name, source, box, expected);
        if (input.NeedsPsf && !hasPsf) throw AuxiliaryInputException.NoPsf(mapper, input.Name, source);
    }

    /// <summary>The registered name of <paramref name="mapper"/> (its <see cref="MapperNameAttribute"/>), else its type name.</summary>
    public static string NameOf(IMapper mapper) =>
        mapper.GetType().GetCustomAttribute<MapperNameAttribute>(inherit: false)?.Name ?? mapper.GetType().Name;

    /// <summary>Views of every exposure on <paramref name="expanded"/>, and the kernels.</summary>
    internal AuxiliaryCell Cut(Box expanded)
    {
        if (IsEmpty) return AuxiliaryCell.Empty;
        var views = new Dictionary<string, Exposure>(exposures.Count, StringComparer.Ordinal);
        foreach (var (name, exposure) in exposures) views[name] = exposure.Sub(expanded);
        return new AuxiliaryCell(views, kernels);
    }

    /// <summary>Disposes the exposures.</summary>
    public void Dispose()
    {
        if (ReferenceEquals(this, None)) return;
        foreach (Exposure e in exposures.Values) e.Dispose();
    }
}
