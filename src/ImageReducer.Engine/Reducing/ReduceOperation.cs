using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json.Serialization;
using ImageReducer.Engine.Config;

namespace ImageReducer.Engine.Reducing;

/// <summary>
/// What the reducer does with the mapper results (the reference's <c>reduceOperation</c>): one word of the
/// configuration's vocabulary and the reducer that implements it. Each operation is declared beside its reducer,
/// in that reducer's file (a part of this partial class: <c>public static ReduceOperation Max { get; } = new("max", ...)</c>),
/// and found there once, so adding an operation is one engine file. Everything else about an operation — its
/// output kind, PSF rule, fold and file naming — is asked of its reducer (<see cref="IReducer"/>), never switched on.
/// </summary>
/// <remarks>
/// The instances are the only ones (the constructor is private), so reference equality is value equality. In JSON an
/// operation is its <see cref="Name"/>, matched exactly (<see cref="ReduceOperationJsonConverter"/>).
/// </remarks>
[JsonConverter(typeof(ReduceOperationJsonConverter))]
public sealed partial class ReduceOperation
{
    private readonly Func<ReducerConfig, IReducer> create;

    /// <summary>Declares an operation; <paramref name="definedIn"/> is filled in by the compiler with the declaring file.</summary>
    private ReduceOperation(string name, Func<ReducerConfig, IReducer> create, StitchRule? stitchRule = null, [CallerFilePath] string definedIn = "")
    {
        Name = name;
        this.create = create;
        StitchRule = stitchRule;
        DefinedIn = definedIn;
    }

    /// <summary>The configuration's word (<c>average</c>, <c>coaddPsf</c>): the reference's name, exact case.</summary>
    public string Name { get; }

    /// <summary>The source file that declares this operation (compile-time path), for the structure check that it sits with its reducer.</summary>
    internal string DefinedIn { get; }

    /// <summary>For an operation that stitches (<see cref="StitchingReducer"/>), its rule; otherwise null.</summary>
    internal StitchRule? StitchRule { get; }

    /// <summary>Every operation, in the ordinal order of their names.</summary>
    public static IReadOnlyList<ReduceOperation> All => Registry.All;

    /// <summary>The operation named <paramref name="name"/> (exact case), or null.</summary>
    public static ReduceOperation? Find(string? name) => name is not null && Registry.ByName.TryGetValue(name, out ReduceOperation? op) ? op : null;

    /// <summary>The operation named <paramref name="name"/> (exact case).</summary>
    /// <exception cref="ConfigValidationException">No operation has that name; the message lists the valid ones.</exception>
    public static ReduceOperation Parse(string? name, string field = "reducer.reduceOperation") =>
        Find(name) ?? throw new ConfigValidationException(field, $"{field} has no value {(name is null ? "null" : $"\"{name}\"")}; allowed (exact case): {AllowedNames}");

    /// <summary>The valid names, quoted and comma-separated, for error messages.</summary>
    public static string AllowedNames => Registry.Allowed;

    /// <summary>The reducer of this operation for <paramref name="config"/> (whose <see cref="ReducerConfig.ReduceOperation"/> is this).</summary>
    internal IReducer CreateReducer(ReducerConfig config) => create(config);

    /// <summary>An operation that stitches the results by <paramref name="rule"/>.</summary>
    private static ReduceOperation Stitching(string name, StitchRule rule, [CallerFilePath] string definedIn = "") =>
        new(name, config => new StitchingReducer(config), rule, definedIn);

    /// <inheritdoc/>
    public override string ToString() => Name;

    /// <summary>
    /// The operations, found once by reflection over this class's public static properties (one per declaration,
    /// wherever its part of the class sits). A nested class so that reading them waits for every part's initialiser.
    /// </summary>
    private static class Registry
    {
        public static readonly IReadOnlyList<ReduceOperation> All = Discover();
        public static readonly IReadOnlyDictionary<string, ReduceOperation> ByName = All.ToDictionary(o => o.Name, StringComparer.Ordinal);
        public static readonly string Allowed = string.Join(", ", All.Select(o => $"\"{o.Name}\""));

        private static ReduceOperation[] Discover()
        {
            ReduceOperation[] ops = typeof(ReduceOperation).GetProperties(BindingFlags.Public | BindingFlags.Static)
                .Where(p => p.PropertyType == typeof(ReduceOperation))
                .Select(p => (ReduceOperation)p.GetValue(null)!)
                .OrderBy(o => o.Name, StringComparer.Ordinal)
                .ToArray();
            string? repeated = ops.GroupBy(o => o.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1)?.Key;
            if (repeated is not null) throw new InvalidOperationException($"Two reduce operations are named \"{repeated}\".");
            return ops;
        }
    }
}
