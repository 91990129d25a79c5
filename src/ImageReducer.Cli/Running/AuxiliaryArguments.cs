using ImageReducer.Cli.Errors;
using ImageReducer.Engine.Mapping;
using ImageReducer.Engine.Mapping.Auxiliary;

namespace ImageReducer.Cli.Running;

/// <summary><c>--aux NAME=PATH</c>: the mapper's auxiliary inputs by name, checked against what the mapper declares before any file is read.</summary>
internal static class AuxiliaryArguments
{
    /// <summary>One line of help.</summary>
    public const string Syntax = "NAME=PATH";

    /// <summary>Parses the <c>--aux</c> values (name → path text, in the order given) and checks them against <paramref name="mapper"/>.</summary>
    /// <exception cref="UsageException">A value without NAME= or PATH, or a name given twice.</exception>
    /// <exception cref="AuxiliaryInputException">A name the mapper does not declare, or a required input not given.</exception>
    public static IReadOnlyDictionary<string, string> Parse(IEnumerable<string> values, IMapper mapper)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string value in values)
        {
            int eq = value.IndexOf('=', StringComparison.Ordinal);
            string name = eq < 0 ? "" : value[..eq].Trim(), path = eq < 0 ? "" : value[(eq + 1)..].Trim();
            if (name.Length == 0 || path.Length == 0)
                throw new UsageException($"--aux '{value}': expected {Syntax}, e.g. --aux template=template.fits");
            if (!result.TryAdd(name, path))
                throw new UsageException($"--aux {name} is given twice ('{result[name]}' and '{path}')");
        }
        IReadOnlyList<AuxiliaryInput> declared = mapper.AuxiliaryInputs;
        // Nothing given, nothing declared (most runs): nothing to check, and no generic code over the engine's kinds for
        // a fresh process to JIT-compile.
        if (result.Count == 0 && declared.Count == 0) return result;
        // Kinds come from the declarations: a path does not say whether it is an exposure or a kernel.
        var given = result.Keys.ToDictionary(n => n, n => declared.FirstOrDefault(d => d.Name == n)?.Kind ?? AuxiliaryKind.Exposure, StringComparer.Ordinal);
        AuxiliaryData.CheckNames(AuxiliaryData.NameOf(mapper), declared, given);
        return result;
    }
}
