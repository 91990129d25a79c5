namespace ImageReducer.Engine.Imaging;

/// <summary>
/// Mask plane names and their bits (0..31), as the reference's <c>MaskDict</c>.
/// A new plane takes the lowest free bit; adding an existing plane returns its bit;
/// at most <see cref="MaxPlanes"/> planes exist.
/// </summary>
/// <remarks>
/// A mask and all its views share one dictionary (as afw masks do), so a plane added through a
/// view is known to the parent. Mutating methods are synchronised; reads are safe concurrently.
/// </remarks>
public sealed class MaskPlaneDictionary
{
    /// <summary>The maximum number of planes: one per bit of an int32 mask pixel.</summary>
    public const int MaxPlanes = 32;

    /// <summary>The reference's default planes, in bit order.</summary>
    public static IReadOnlyList<string> DefaultPlaneNames { get; } =
        ["BAD", "SAT", "INTRP", "CR", "EDGE", "DETECTED", "DETECTED_NEGATIVE", "SUSPECT", "NO_DATA", "VIGNETTED", "STREAK"];

    private readonly object gate = new();
    private readonly Dictionary<string, int> bits = new(StringComparer.Ordinal);

    private MaskPlaneDictionary() { }

    /// <summary>A dictionary holding the reference's default planes (BAD 0 … STREAK 10).</summary>
    public static MaskPlaneDictionary CreateDefault()
    {
        var d = new MaskPlaneDictionary();
        for (int i = 0; i < DefaultPlaneNames.Count; i++) d.bits[DefaultPlaneNames[i]] = i;
        return d;
    }

    /// <summary>A dictionary with no planes.</summary>
    public static MaskPlaneDictionary CreateEmpty() => new();

    /// <summary>
    /// A dictionary from explicit name → bit pairs (for instance read from <c>MP_*</c> FITS cards).
    /// </summary>
    /// <exception cref="MaskPlaneException">A name is empty or repeated, a bit is outside 0..31, or two names share a bit.</exception>
    public static MaskPlaneDictionary FromBits(IEnumerable<KeyValuePair<string, int>> planes)
    {
        ArgumentNullException.ThrowIfNull(planes);
        return FromBits([.. planes]);
    }

    /// <inheritdoc cref="FromBits(IEnumerable{KeyValuePair{string, int}})"/>
    /// <remarks>The span form is what a file's read uses: no enumerator over the pairs to JIT-compile in a fresh process.</remarks>
    public static MaskPlaneDictionary FromBits(ReadOnlySpan<KeyValuePair<string, int>> planes)
    {
        var d = new MaskPlaneDictionary();
        var owners = new Dictionary<int, string>();
        foreach (var (name, bit) in planes)
        {
            if (string.IsNullOrWhiteSpace(name)) throw new MaskPlaneException("A mask plane name must not be empty.");
            if (bit is < 0 or >= MaxPlanes)
                throw new MaskPlaneException($"Mask plane '{name}' has bit {bit}; bits must be in 0..{MaxPlanes - 1}.");
            if (d.bits.ContainsKey(name)) throw new MaskPlaneException($"Mask plane '{name}' is defined twice.");
            if (owners.TryGetValue(bit, out var other))
                throw new MaskPlaneException($"Mask planes '{other}' and '{name}' both use bit {bit}.");
            owners[bit] = name;
            d.bits[name] = bit;
        }
        return d;
    }

    /// <summary>Number of planes defined.</summary>
    public int Count { get { lock (gate) return bits.Count; } }

    /// <summary>Planes sorted by bit.</summary>
    public IReadOnlyList<KeyValuePair<string, int>> Planes
    {
        get
        {
            lock (gate)
            {
                // By bit, without a sort: bits are unique and in 0..31. (LINQ's OrderBy over KeyValuePair<string, int>
                // is ~15 generic methods JIT-compiled on every fresh process's write: the ReadyToRun image cannot hold them.)
                var byBit = new string?[MaxPlanes];
                foreach (var (name, bit) in bits) byBit[bit] = name;
                var planes = new KeyValuePair<string, int>[bits.Count];
                int n = 0;
                for (int bit = 0; bit < MaxPlanes; bit++)
                    if (byBit[bit] is { } name) planes[n++] = new KeyValuePair<string, int>(name, bit);
                return planes;
            }
        }
    }

    /// <summary>Adds a plane (lowest free bit) or returns the bit of the existing plane of that name.</summary>
    /// <exception cref="MaskPlaneException">All 32 bits are already used.</exception>
    public int Add(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        lock (gate)
        {
            if (bits.TryGetValue(name, out int existing)) return existing;
            var used = new bool[MaxPlanes];
            foreach (int b in bits.Values) used[b] = true;
            int bit = 0;
            while (bit < MaxPlanes && used[bit]) bit++;
            if (bit == MaxPlanes)
                throw new MaskPlaneException($"Cannot add mask plane '{name}': all {MaxPlanes} planes are in use ({string.Join(", ", bits.Keys)}).");
            bits[name] = bit;
            return bit;
        }
    }

    /// <summary>The bit of a plane, if it exists.</summary>
    public bool TryGetBit(string name, out int bit)
    {
        lock (gate) return bits.TryGetValue(name, out bit);
    }

    /// <summary>The bit of a plane.</summary>
    /// <exception cref="MaskPlaneException">No plane has that name.</exception>
    public int GetBit(string name) => TryGetBit(name, out int bit)
        ? bit
        : throw new MaskPlaneException($"Invalid mask plane name: '{name}' (known planes: {string.Join(", ", Planes.Select(p => p.Key))}).");

    /// <summary>The OR of the bits of the named planes (the reference's <c>getPlaneBitMask</c>).</summary>
    /// <exception cref="MaskPlaneException">A name is unknown.</exception>
    public int GetBitMask(IEnumerable<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        int mask = 0;
        foreach (var n in names) mask |= 1 << GetBit(n);
        return mask;
    }

    /// <inheritdoc cref="GetBitMask(IEnumerable{string})"/>
    public int GetBitMask(params string[] names) => GetBitMask((IEnumerable<string>)names);

    /// <summary>The names of the planes set in <paramref name="value"/>.</summary>
    public IReadOnlyList<string> Interpret(int value) =>
        Planes.Where(p => (value & (1 << p.Value)) != 0).Select(p => p.Key).ToArray();

    /// <summary>An independent copy.</summary>
    public MaskPlaneDictionary Clone()
    {
        var d = new MaskPlaneDictionary();
        lock (gate) foreach (var kv in bits) d.bits[kv.Key] = kv.Value;
        return d;
    }

    /// <summary>True when both hold the same names with the same bits.</summary>
    public bool SameAs(MaskPlaneDictionary other)
    {
        var a = Planes; var b = other.Planes;
        return a.Count == b.Count && a.Zip(b).All(p => p.First.Key == p.Second.Key && p.First.Value == p.Second.Value);
    }
}

/// <summary>
/// A mask-plane error: unknown name, duplicate bit, or the 32-plane limit (<see cref="Errors.ErrorClass.UnsuitableInput"/>,
/// <see cref="Errors.ErrorCodes.MaskPlane"/>; while reading a file it becomes a FITS error of the file).
/// </summary>
public sealed class MaskPlaneException(string message)
    : Errors.ImageReducerException(Errors.ErrorClass.UnsuitableInput, Errors.ErrorCodes.MaskPlane, message);
