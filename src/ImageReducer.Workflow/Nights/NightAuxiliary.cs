using System.Text;
using ImageReducer.Workflow.Storage;

namespace ImageReducer.Workflow.Nights;

/// <summary>
/// The auxiliary inputs of a night's exposures (a template, a matching kernel…), one pattern per input name, each
/// naming a blob per exposure: <c>container/name</c> or <c>az://container/name</c> where the name may hold
/// placeholders taken from the exposure's blob name relative to the night's prefix. For the exposure
/// <c>2026-11-24/visit-7/ccd03.fits</c> of the night <c>2026-11-24/</c>:
/// <list type="table">
/// <item><term><c>{name}</c></term><description>the relative name, <c>visit-7/ccd03.fits</c></description></item>
/// <item><term><c>{dir}</c></term><description>its folders with the trailing slash, <c>visit-7/</c> (empty at the top)</description></item>
/// <item><term><c>{file}</c></term><description>its last segment, <c>ccd03.fits</c></description></item>
/// <item><term><c>{stem}</c></term><description>the last segment without <c>.fits</c>/<c>.fit</c>, <c>ccd03</c></description></item>
/// </list>
/// so <c>templates/{dir}{stem}.template.fits</c> names <c>templates/visit-7/ccd03.template.fits</c>. A pattern without
/// placeholders names one blob for every exposure (a night-wide kernel). The container is literal.
/// </summary>
/// <remarks>
/// The one definition of these rules: the HTTP API and <c>imred night</c> validate with <see cref="Validate"/>, the
/// night's orchestration resolves each exposure's inputs with <see cref="Resolve"/> (pure: no I/O, replay-safe), and the
/// resume check resolves the same names. An exposure whose resolved blob is missing fails with <c>AuxiliaryInput</c>
/// in the night report; the night goes on.
/// </remarks>
public static class NightAuxiliary
{
    /// <summary>The placeholders a pattern may hold.</summary>
    public static IReadOnlyList<string> Placeholders { get; } = ["{name}", "{dir}", "{file}", "{stem}"];

    /// <summary>
    /// Checks every pattern (a container, a name, only known placeholders, and a valid blob name once expanded) and
    /// returns them normalised to <c>container/pattern</c>, or null when there are none.
    /// </summary>
    /// <exception cref="AuxiliaryPatternException">Which input's pattern (<c>auxiliary.NAME</c>), and why.</exception>
    public static IReadOnlyDictionary<string, string>? Validate(IReadOnlyDictionary<string, string>? patterns)
    {
        if (patterns is not { Count: > 0 }) return null;
        var normal = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, pattern) in patterns)
        {
            if (string.IsNullOrWhiteSpace(name)) throw new AuxiliaryPatternException("auxiliary", "an auxiliary input needs a name");
            string field = $"auxiliary.{name}";
            if (string.IsNullOrWhiteSpace(pattern))
                throw new AuxiliaryPatternException(field, $"the pattern is empty; expected container/name with placeholders {string.Join(", ", Placeholders)}");
            string text = pattern.Trim();
            if (text.StartsWith(BlobPath.Scheme, StringComparison.Ordinal)) text = text[BlobPath.Scheme.Length..];
            int slash = text.IndexOf('/');
            if (slash <= 0 || slash == text.Length - 1)
                throw new AuxiliaryPatternException(field, $"'{pattern}' must have the form container/name (placeholders {string.Join(", ", Placeholders)} in the name)");
            string container = text[..slash];
            if (container.Contains('{') || container.Contains('}'))
                throw new AuxiliaryPatternException(field, $"'{pattern}': the container must be literal; placeholders go in the name");
            try
            {
                BlobPath.ValidateContainer(container);
                // Expanded for a sample exposure in a folder, so an unknown placeholder or an invalid name fails here, not per exposure.
                BlobPath.ValidateName(Expand(text[(slash + 1)..], "visit/exposure.fits", field));
            }
            catch (ArgumentException e) when (e is not AuxiliaryPatternException)
            {
                throw new AuxiliaryPatternException(field, $"'{pattern}': {e.Message}");
            }
            normal[name] = text;
        }
        return normal;
    }

    /// <summary>
    /// The auxiliary blobs of the exposure <paramref name="input"/> of <paramref name="night"/> (null when the night names
    /// none): each pattern with the placeholders of the exposure's name relative to the night's prefix.
    /// </summary>
    /// <exception cref="ArgumentException">A resolved name is not a valid blob name (for this exposure only).</exception>
    public static IReadOnlyDictionary<string, BlobPath>? Resolve(NightRequest night, BlobPath input)
    {
        ArgumentNullException.ThrowIfNull(night);
        ArgumentNullException.ThrowIfNull(input);
        if (night.Auxiliary is not { Count: > 0 } patterns) return null;
        string relative = input.Name.StartsWith(night.Prefix, StringComparison.Ordinal) ? input.Name[night.Prefix.Length..] : input.Name;
        var resolved = new Dictionary<string, BlobPath>(StringComparer.Ordinal);
        foreach (var (name, pattern) in patterns)
        {
            int slash = pattern.IndexOf('/');
            resolved[name] = new BlobPath(pattern[..slash], Expand(pattern[(slash + 1)..], relative, $"auxiliary.{name}"));
        }
        return resolved;
    }

    /// <summary>What the night's id and resume check add for the patterns: empty without any (such nights keep their ids).</summary>
    public static string Key(IReadOnlyDictionary<string, string>? patterns) => patterns is not { Count: > 0 } ? ""
        : "\nauxPatterns:" + string.Join("\n", patterns.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"));

    private static string Expand(string pattern, string relative, string field)
    {
        int folder = relative.LastIndexOf('/');
        string dir = relative[..(folder + 1)], file = relative[(folder + 1)..], stem = file;
        foreach (string ext in (string[])[".fits", ".fit"])
            if (stem.EndsWith(ext, StringComparison.OrdinalIgnoreCase) && stem.Length > ext.Length) { stem = stem[..^ext.Length]; break; }
        var result = new StringBuilder(pattern.Length + relative.Length);
        for (int i = 0; i < pattern.Length; i++)
        {
            char c = pattern[i];
            if (c == '}') throw new AuxiliaryPatternException(field, $"'{pattern}' has a '}}' without its '{{'");
            if (c != '{')
            {
                result.Append(c);
                continue;
            }
            int close = pattern.IndexOf('}', i);
            string placeholder = close < 0 ? pattern[i..] : pattern[i..(close + 1)];
            result.Append(placeholder switch
            {
                "{name}" => relative,
                "{dir}" => dir,
                "{file}" => file,
                "{stem}" => stem,
                _ => throw new AuxiliaryPatternException(field, $"unknown placeholder '{placeholder}' in '{pattern}'; known: {string.Join(", ", Placeholders)}"),
            });
            i = close;
        }
        return result.ToString();
    }
}
